"""The demo region: DOMAIN.md's worked examples, an employee paying from the personal account,
a reversal and a rejected claim — each with the figures DOMAIN.md says it must produce.

Loading is idempotent (fixed request ids; an existing enrollment or agreement is reused), so
`yibao demo` can run again on the same database and must print the same figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from application.context import AGENCY, INSTITUTION, Actor, Context
from application.region import Region
from application.settlements import SettlementRequest
from domain.errors import AgreementInForce, AlreadyCredited, AlreadyEnrolled, AlreadyExists
from domain.national_id import check_char
from domain.settlement import settlement_id
from domain.settlement_rules import ClaimItem

HOSPITAL_L1, HOSPITAL_L2, HOSPITAL_L3 = "H31010100001", "H31010100002", "H31010100003"
SUSPENDED_HOSPITAL = "H31010100009"
AGENCY_CTX = Context(Actor("demo-operator", AGENCY), request_id="demo-load")


@dataclass(frozen=True)
class Expectation:
    """One figure of DOMAIN.md and what the region actually produced."""

    case: str
    figure: str
    expected: str
    actual: str

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


@dataclass
class DemoPerson:
    key: str
    birth_date: date
    scheme: str = "resident"
    categories: list[str] = field(default_factory=list)
    person_id: UUID | None = None

    @property
    def national_id(self) -> str:
        first17 = f"310101{self.birth_date:%Y%m%d}{sum(map(ord, self.key)) % 1000:03d}"
        return first17 + check_char(first17)


def load_demo(region: Region) -> list[Expectation]:
    """Load the demo region into `region` and check every figure."""
    _sign_agreements(region)
    _open_funds(region)
    return list(_scenarios(region))


def _sign_agreements(region: Region) -> None:
    for code, name, level in (
        (HOSPITAL_L1, "示范社区卫生服务中心", 1),
        (HOSPITAL_L2, "示范区人民医院", 2),
        (HOSPITAL_L3, "示范市第一人民医院", 3),
        (SUSPENDED_HOSPITAL, "示范民营医院", 2),
    ):
        try:
            region.sign_agreement(
                AGENCY_CTX,
                institution_code=code,
                institution_name=name,
                level=level,
                ownership="private" if code == SUSPENDED_HOSPITAL else "public",
                term_start=date(2026, 1, 1),
                term_end=date(2026, 12, 31),
                annual_budget=Decimal("1200000.00"),
            )
        except AgreementInForce:
            continue
        if code == SUSPENDED_HOSPITAL:
            signed = region.agreement_for_claim(code, date(2026, 1, 1))
            assert signed is not None
            region.suspend_agreement(
                AGENCY_CTX,
                signed.id,
                reason="稽核发现违规，中止协议",
                effective_from=date(2026, 3, 1),
                effective_until=date(2026, 6, 1),
            )


def _open_funds(region: Region) -> None:
    for scheme in ("resident", "employee"):
        for layer in ("basic", "major"):
            try:
                region.open_fund(
                    AGENCY_CTX,
                    scheme=scheme,
                    layer=layer,
                    region_code=region.region_code,
                    name=f"{scheme} {layer} fund",
                )
            except AlreadyExists:
                continue


def _enroll(region: Region, person: DemoPerson) -> UUID:
    try:
        person.person_id = region.enroll(
            AGENCY_CTX,
            national_id=person.national_id,
            name=f"示例{person.key}",
            birth_date=person.birth_date,
            scheme=person.scheme,
            region_code=region.region_code,
            enrolled_on=date(2025, 1, 2),
            contribution_start=date(2015, 1, 1),
            categories=person.categories,
        ).person_id
    except AlreadyEnrolled:
        person.person_id = region.person_id_for(person.scheme, person.national_id)
    return person.person_id


def _claim(
    region: Region, person_id: UUID, hospital: str, request_id: str, amount: str, day: date
) -> SettlementRequest:
    value = Decimal(amount)
    return SettlementRequest(
        request_id=request_id,
        institution_code=hospital,
        person_id=person_id,
        visit_id=f"V-{request_id}",
        visit_type="outpatient",
        service_date=day,
        diagnosis_code="J06.900",
        items=(ClaimItem("D0001", "诊疗费", "A", Decimal(1), value, value),),
    )


def _institution(code: str, request_id: str = "") -> Context:
    return Context(Actor(f"his-{code}", INSTITUTION, code), request_id=request_id)


def _settle(region: Region, request: SettlementRequest) -> dict[str, str]:
    record = region.settle(_institution(request.institution_code, request.request_id), request)
    figures = {"status": record.status, "codes": ",".join(record.reason_codes)}
    if record.result is not None:
        r = record.result
        figures |= {
            "deductible": str(r.deductible),
            "fund_pay": str(r.fund_pay),
            "account_pay": str(r.account_pay),
            "cash_pay": str(r.cash_pay),
        }
    return figures


def _check(case: str, actual: dict[str, str], **expected: str) -> Iterator[Expectation]:
    for figure, value in expected.items():
        yield Expectation(case, figure, value, actual.get(figure, "—"))


def _scenarios(region: Region) -> Iterator[Expectation]:
    day = date(2026, 3, 10)
    senior = _enroll(region, DemoPerson("senior65", date(1961, 1, 5)))
    got = _settle(region, _claim(region, senior, HOSPITAL_L1, "DEMO-0001", "1300.00", day))
    yield from _check(
        "age 65, outpatient 1 300.00, level 1",
        got,
        deductible="300.00",
        fund_pay="650.00",
        cash_pay="650.00",
    )

    adult = _enroll(region, DemoPerson("adult40", date(1986, 2, 2)))
    got = _settle(region, _claim(region, adult, HOSPITAL_L2, "DEMO-0002", "1000.00", day))
    yield from _check("age 40, outpatient 1 000.00, level 2", got, fund_pay="0.00")
    got = _settle(
        region, _claim(region, adult, HOSPITAL_L2, "DEMO-0003", "200.00", date(2026, 3, 11))
    )
    yield from _check("same person, next outpatient 200.00", got, fund_pay="110.00")

    young = _enroll(region, DemoPerson("adult30", date(1996, 4, 4)))
    got = _settle(region, _claim(region, young, HOSPITAL_L3, "DEMO-0004", "2000.00", day))
    yield from _check(
        "age 30, outpatient 2 000.00, level 3", got, deductible="1000.00", fund_pay="500.00"
    )

    student = _enroll(region, DemoPerson("student", date(2010, 9, 1), categories=["student"]))
    got = _settle(region, _claim(region, student, HOSPITAL_L2, "DEMO-0005", "250.00", day))
    yield from _check("student, outpatient 250.00", got, fund_pay="0.00", deductible="250.00")

    employee = _enroll(region, DemoPerson("employee", date(1990, 1, 20), scheme="employee"))
    with suppress(AlreadyCredited):  # already there from an earlier load
        region.credit_account(AGENCY_CTX, employee, amount=Decimal("300.00"), period="2026-01")
    got = _settle(region, _claim(region, employee, HOSPITAL_L2, "DEMO-0006", "1500.00", day))
    # 1 000 deductible, (1 500 − 1 000) × 65 % = 325 fund, 1 175 share: 300 from the account.
    yield from _check(
        "employee, outpatient 1 500.00, account pays first",
        got,
        fund_pay="325.00",
        account_pay="300.00",
        cash_pay="875.00",
    )

    yield from _reversal(region, senior)

    got = _settle(
        region, _claim(region, adult, SUSPENDED_HOSPITAL, "DEMO-0008", "500.00", date(2026, 4, 1))
    )
    yield from _check(
        "claim at a suspended institution", got, status="rejected", codes="AGREEMENT_SUSPENDED"
    )


def _reversal(region: Region, senior: UUID) -> Iterator[Expectation]:
    request = _claim(region, senior, HOSPITAL_L1, "DEMO-0007", "400.00", date(2026, 3, 12))
    settled = _settle(region, request)
    yield from _check("age 65, second outpatient 400.00", settled, fund_pay="260.00")
    record = region.settlement(settlement_id(HOSPITAL_L1, request.request_id))
    if record.status != "reversed":
        record = region.reverse_settlement(
            _institution(HOSPITAL_L1, "DEMO-0007-R"),
            record.settlement_id,
            reason="收费项目录入错误",
        )
    summary = region.person(senior, 2026)
    yield from _check(
        "reversal restores the accumulators",
        {
            "status": record.status,
            "fund_paid": str(summary.fund_paid_basic + summary.fund_paid_major),
        },
        status="reversed",
        fund_paid="650.00",
    )


def sample_settlement(region: Region, request_id: str) -> dict[str, object]:
    """A ready settlement request body: a demo person's outpatient visit at the demo hospital."""
    senior = DemoPerson("senior65", date(1961, 1, 5))
    return {
        "request_id": request_id,
        "institution_code": HOSPITAL_L1,
        "person_id": str(region.person_id_for(senior.scheme, senior.national_id)),
        "visit_id": f"V-{request_id}",
        "visit_type": "outpatient",
        "service_date": "2026-03-20",
        "diagnosis_code": "J06.900",
        "items": [
            {
                "code": "D0001",
                "name": "诊疗费",
                "category": "A",
                "quantity": "1",
                "unit_price": "300.00",
                "amount": "300.00",
            }
        ],
    }
