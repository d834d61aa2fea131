"""Agency and institution commands the benchmarks record (benchmarks never import tests)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from application.context import AGENCY, INSTITUTION, Actor, Context
from application.region import Region
from application.settlements import SettlementRequest
from domain.national_id import check_char
from domain.settlement_rules import ClaimItem

HOSPITAL = "H31010100001"


def agency(request_id: str = "") -> Context:
    return Context(Actor("bench-operator", AGENCY), request_id=request_id)


def institution(request_id: str = "", code: str = HOSPITAL) -> Context:
    return Context(Actor(f"his-{code}", INSTITUTION, code), request_id=request_id)


def sign(region: Region, code: str = HOSPITAL) -> UUID:
    return region.sign_agreement(
        agency(),
        institution_code=code,
        institution_name="测试医院",
        level=1,
        ownership="public",
        term_start=date(2026, 1, 1),
        term_end=date(2026, 12, 31),
        annual_budget=Decimal("1200000.00"),
    ).agreement_id


def enroll(region: Region, n: int) -> UUID:
    """The `n`th benchmark person (a valid, distinct national ID per n below 50 000)."""
    birth = date(1950 + n % 50, 1 + n % 12, 1 + n % 28)
    first17 = f"310101{birth:%Y%m%d}{n // 50 % 1000:03d}"
    return region.enroll(
        agency(),
        national_id=first17 + check_char(first17),
        name="测试",
        birth_date=birth,
        scheme="resident" if n % 2 else "employee",
        region_code="310000",
        enrolled_on=date(2025, 1, 2),
        contribution_start=date(2015, 1, 1),
        categories=[],
    ).person_id


def claim(person: UUID, n: int, code: str = HOSPITAL) -> SettlementRequest:
    """The `n`th benchmark claim: one outpatient item of a varying amount."""
    amount = Decimal(80 + (n * 37) % 900).quantize(Decimal("0.01"))
    return SettlementRequest(
        request_id=f"BENCH-{n}",
        institution_code=code,
        person_id=person,
        visit_id=f"V-BENCH-{n}",
        visit_type="outpatient",
        service_date=date(2026, 3, 1 + n % 28),
        diagnosis_code="J06.900",
        items=(ClaimItem("D0001", "诊疗费", "A", Decimal(1), amount, amount),),
    )
