"""Request bodies (client → service), one per command; unknown fields are a 422."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, ConfigDict, Field, StrictBool
from pydantic_core import PydanticCustomError

from interfaces.http.schemas.types import (
    Day,
    DiagnosisCode,
    Identifier,
    Inbound,
    InstitutionCode,
    JsonInteger,
    MoneyIn,
    Month,
    Name,
    NationalId,
    PriceIn,
    Quantity,
    Reason,
    RegionCode,
    Year,
)

Scheme = Literal["resident", "employee"]
Category = Literal["student", "infant", "low_income", "severely_disabled"]
BodyYear = Annotated[Year, JsonInteger]
Level = Annotated[Literal[1, 2, 3], JsonInteger]


def _each_once(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        raise PydanticCustomError("unique", "each category at most once")
    return values


class PersonEnrollment(Inbound):
    national_id: NationalId
    name: Name
    birth_date: Day
    scheme: Scheme
    region_code: RegionCode
    enrolled_on: Day
    contribution_start: Day | None = None
    categories: Annotated[list[Category], AfterValidator(_each_once)] = Field(
        default_factory=list, max_length=4, json_schema_extra={"uniqueItems": True}
    )


class PersonLookup(Inbound):
    national_id: NationalId
    scheme: Scheme | None = None


class PersonSuspension(Inbound):
    reason: Reason
    effective_from: Day
    effective_until: Day | None = None
    fraud: StrictBool = False


class Reinstatement(Inbound):
    reason: Reason
    effective_from: Day


class PersonTermination(Inbound):
    reason: Reason
    effective_from: Day


class AccountCredit(Inbound):
    amount: MoneyIn
    period: Month


class AgreementSigning(Inbound):
    institution_code: InstitutionCode
    institution_name: Name
    level: Level
    ownership: Literal["public", "private"]
    term_start: Day
    term_end: Day
    annual_budget: MoneyIn
    region_code: RegionCode | None = None


class AgreementRenewal(Inbound):
    term_start: Day
    term_end: Day
    annual_budget: MoneyIn


class AgreementSuspension(Inbound):
    reason: Reason
    effective_from: Day
    effective_until: Day | None = None
    voluntary: StrictBool = False


class AgreementTermination(Inbound):
    ground: Literal[
        "fraud",
        "repeated_suspension",
        "serious_violation",
        "refused_inspection",
        "closed",
        "voluntary",
        "other",
    ]
    reason: Reason
    effective_from: Day


class FundOpening(Inbound):
    scheme: Scheme
    layer: Literal["basic", "major"]
    region_code: RegionCode
    name: Name


class Contribution(Inbound):
    amount: MoneyIn
    period: Month
    source: Literal["employer", "individual", "subsidy"]


class Disbursement(Inbound):
    agreement_id: UUID
    period: Month
    amount: MoneyIn


class BudgetIssue(Inbound):
    agreement_id: UUID
    year: BodyYear
    scheme: Scheme
    amount: MoneyIn
    basis: Reason


class BudgetAdjustment(Inbound):
    amount: MoneyIn
    reason: Reason


class Prepayment(Inbound):
    month: Month


class ClearingConfirmation(Inbound):
    reason: Reason


class ClearingCorrection(Inbound):
    fund_pays: MoneyIn = Field(description='the corrected "fund pays" figure of the clearing')
    reason: Reason


class ClawbackAssessment(Inbound):
    agreement_id: UUID
    settlement_ids: list[UUID] = Field(min_length=1, max_length=1000)
    amount: MoneyIn
    basis: Literal["violation", "fraud"]
    penalty_multiple: Decimal = Field(ge=0, le=100, examples=["1.5"])
    reason: Reason


class Recovery(Inbound):
    amount: MoneyIn
    method: Literal["offset", "payment"]


class ClaimItemBody(Inbound):
    code: Identifier
    name: Name
    category: Literal["A", "B", "C"]
    quantity: Quantity
    unit_price: PriceIn
    amount: PriceIn


SETTLEMENT_EXAMPLE: dict[str, Any] = {
    "request_id": "HIS-20260310-000123",
    "institution_code": "H31010100001",
    "person_id": "8d7c6f1e-2b3a-8c4d-9e5f-0a1b2c3d4e5f",
    "visit_id": "V-000123",
    "visit_type": "outpatient",
    "service_date": "2026-03-10",
    "diagnosis_code": "J06.900",
    "items": [
        {
            "code": "D0001",
            "name": "诊疗费",
            "category": "A",
            "quantity": "1",
            "unit_price": "1300.00",
            "amount": "1300.00",
        }
    ],
}


class SettlementBody(Inbound):
    """A claim (结算申请) as the institution's HIS sends it."""

    model_config = ConfigDict(json_schema_extra={"examples": [SETTLEMENT_EXAMPLE]})

    request_id: Identifier
    institution_code: InstitutionCode
    person_id: UUID
    visit_id: Identifier
    visit_type: Literal["outpatient", "inpatient"]
    service_date: Day
    diagnosis_code: DiagnosisCode
    items: list[ClaimItemBody] = Field(
        min_length=1,
        max_length=1000,
        description="at least one item, and a positive total (else 422 naming `items`)",
    )


class ReversalBody(Inbound):
    request_id: Identifier
    reason: Reason
