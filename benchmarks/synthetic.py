"""A deterministic synthetic pooling region for the benchmarks, sized by its arguments.

Both schemes, every person category, institutions of every level (public and private), one
institution whose agreement is suspended and one with none (their claims are rejected), some
suspended persons, employee accounts credited, and claims with realistic A/B/C item mixes —
outpatient mostly, some inpatient admissions, some retried request ids (duplicates). The same
seed gives the same region and the same claims, byte for byte.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from application.context import AGENCY, INSTITUTION, Actor, Context
from application.region import Region
from application.settlements import SettlementRequest
from domain.national_id import check_char
from domain.settlement_rules import ClaimItem
from domain.values import CATEGORIES, EMPLOYEE, RESIDENT

AGENCY_CTX = Context(Actor("bench-operator", AGENCY))
YEAR = 2026
UNCONTRACTED = "H31019999999"  # no agreement: its claims are rejected (AGREEMENT_NOT_IN_FORCE)

# (code, name, category, unit price range in fen): an A/B/C catalogue of a county hospital.
CATALOGUE = (
    ("D0001", "诊疗费", "A", (1000, 5000)),
    ("D0002", "血常规", "A", (2000, 4000)),
    ("M1001", "阿莫西林胶囊", "A", (800, 3000)),
    ("M1002", "布洛芬缓释胶囊", "A", (1200, 2500)),
    ("M2001", "头孢克肟分散片", "B", (3000, 9000)),
    ("M2002", "奥美拉唑肠溶胶囊", "B", (2500, 6000)),
    ("E2001", "CT平扫", "B", (15000, 40000)),
    ("C3001", "进口人工晶体", "C", (200000, 600000)),
    ("C3002", "特需病房床位费", "C", (30000, 80000)),
)
DIAGNOSES = ("J06.900", "I10.x00", "E11.900", "K29.700", "M54.500", "N39.000")


def institution_context(code: str, request_id: str = "") -> Context:
    return Context(Actor(f"his-{code}", INSTITUTION, code), request_id=request_id)


def national_id(birth: date, serial: int) -> str:
    first17 = f"310101{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + check_char(first17)


@dataclass
class SyntheticRegion:
    """The region's master data, then as many claims as asked, all from one seed."""

    persons: int = 200
    institutions: int = 6
    seed: int = 20260307
    person_ids: list[UUID] = field(default_factory=list)
    institution_codes: list[str] = field(default_factory=list)
    suspended_institution: str = ""

    def __post_init__(self) -> None:
        self.institution_codes = [f"H3101{level}{n:06d}" for n, level in self._levels()]
        if len(self.institution_codes) > 3:
            self.suspended_institution = self.institution_codes[-1]

    def _levels(self) -> list[tuple[int, int]]:
        return [(n, 1 + n % 3) for n in range(max(self.institutions, 3))]

    # --- master data ---------------------------------------------------------------------

    def load(self, region: Region) -> None:
        """Sign agreements, open the funds, enroll and credit the persons."""
        self._sign(region)
        self._open_funds(region)
        rng = random.Random(self.seed)
        self.person_ids = [self._enroll(region, n, rng) for n in range(self.persons)]

    def _sign(self, region: Region) -> None:
        for (n, level), code in zip(self._levels(), self.institution_codes, strict=True):
            region.sign_agreement(
                AGENCY_CTX,
                institution_code=code,
                institution_name=f"合成医院{n}",
                level=level,
                ownership="private" if n % 4 == 3 else "public",
                term_start=date(YEAR, 1, 1),
                term_end=date(YEAR, 12, 31),
                annual_budget=Decimal("50000000.00"),
            )
        if len(self.institution_codes) > 3:
            agreement = region.agreement_for_claim(self.suspended_institution, date(YEAR, 1, 1))
            assert agreement is not None
            region.suspend_agreement(
                AGENCY_CTX,
                agreement.id,
                reason="稽核发现违规，中止协议",
                effective_from=date(YEAR, 1, 1),
                effective_until=date(YEAR, 12, 1),
            )

    @staticmethod
    def _open_funds(region: Region) -> None:
        for scheme in (RESIDENT, EMPLOYEE):
            for layer in ("basic", "major"):
                region.open_fund(
                    AGENCY_CTX,
                    scheme=scheme,
                    layer=layer,
                    region_code=region.region_code,
                    name=f"{scheme} {layer} fund",
                )

    def _enroll(self, region: Region, n: int, rng: random.Random) -> UUID:
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 80))
        scheme = EMPLOYEE if n % 2 else RESIDENT
        categories = [CATEGORIES[n % len(CATEGORIES)]] if scheme == RESIDENT and n % 5 == 0 else []
        person_id = region.enroll(
            AGENCY_CTX,
            national_id=national_id(birth, n),
            name=f"合成{n}",
            birth_date=birth,
            scheme=scheme,
            region_code=region.region_code,
            enrolled_on=date(YEAR - 1, 1, 2),
            contribution_start=max(date(2010, 1, 1), birth),
            categories=categories,
        ).person_id
        if scheme == EMPLOYEE:
            region.credit_account(
                AGENCY_CTX, person_id, amount=Decimal("3000.00"), period=f"{YEAR}-01"
            )
        if n % 50 == 49:
            region.suspend_person(
                AGENCY_CTX,
                person_id,
                reason="断缴，暂停待遇",
                effective_from=date(YEAR, 1, 1),
                effective_until=date(YEAR, 12, 1),
            )
        return person_id

    @property
    def active_institutions(self) -> list[str]:
        return [c for c in self.institution_codes if c != self.suspended_institution]

    # --- claims --------------------------------------------------------------------------

    def claims(
        self, count: int, *, prefix: str = "R", duplicates: float = 0.02
    ) -> list[SettlementRequest]:
        """`count` requests; about `duplicates` of them repeat an earlier request exactly."""
        rng = random.Random(f"{self.seed}:{prefix}:{count}")
        requests: list[SettlementRequest] = []
        for n in range(count):
            if requests and rng.random() < duplicates:
                requests.append(requests[rng.randrange(len(requests))])
                continue
            requests.append(self.claim(rng, f"{prefix}{n:08d}", self._person(rng)))
        return requests

    def claim(self, rng: random.Random, request_id: str, person_id: UUID) -> SettlementRequest:
        roll = rng.random()
        code = UNCONTRACTED if roll < 0.01 else rng.choice(self.active_institutions)
        if 0.01 <= roll < 0.03 and self.suspended_institution:
            code = self.suspended_institution
        inpatient = rng.random() < 0.08
        items = tuple(_item(rng) for _ in range(rng.randint(1, 4)))
        return SettlementRequest(
            request_id=request_id,
            institution_code=code,
            person_id=person_id,
            visit_id=f"V-{request_id}",
            visit_type="inpatient" if inpatient else "outpatient",
            service_date=date(YEAR, 3, 1) + timedelta(days=rng.randrange(0, 90)),
            diagnosis_code=rng.choice(DIAGNOSES),
            items=items,
        )

    def _person(self, rng: random.Random) -> UUID:
        if not self.person_ids:
            raise RuntimeError("load() the region before asking for claims")
        return self.person_ids[rng.randrange(len(self.person_ids))]


def _item(rng: random.Random) -> ClaimItem:
    weights = [6 if c == "A" else 3 if c == "B" else 1 for _, _, c, _ in CATALOGUE]
    code, name, category, (low, high) = rng.choices(CATALOGUE, weights)[0]
    quantity = Decimal(rng.randint(1, 3))
    price = Decimal(rng.randint(low, high)) / 100
    return ClaimItem(code, name, category, quantity, price, quantity * price)
