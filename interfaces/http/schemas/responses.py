"""Command answers (service → client): ids, results and the log position of the last event."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import ConfigDict

from interfaces.http.schemas.types import MoneyOut, Outbound, Position, RatioOut


class Recorded(Outbound):
    """A command was recorded; `position` is for read-your-writes (`?min_position=`)."""

    position: Position


class PersonEnrolled(Recorded):
    person_id: UUID


class AgreementSigned(Recorded):
    agreement_id: UUID


class FundOpened(Recorded):
    fund_id: UUID


class BudgetIssued(Recorded):
    budget_id: UUID


class Prepaid(Recorded):
    amount: MoneyOut
    fund_id: UUID


class ClearingProposal(Recorded):
    budget: MoneyOut
    actual: MoneyOut
    prepaid: MoneyOut
    fund_pays: MoneyOut
    clearing_amount: MoneyOut
    rule: str


class ClawbackAssessed(Recorded):
    clawback_id: UUID
    amount: MoneyOut
    penalty: MoneyOut


class PersonMatch(Outbound):
    person_id: UUID
    scheme: str
    status: str
    masked_id: str


class PersonMatches(Outbound):
    items: list[PersonMatch]


SettlementStatus = Literal["settled", "rejected", "reversed", "clawed_back", "preview"]


RESULT_EXAMPLE: dict[str, Any] = {
    "settlement_id": "0f0e7f9a-5d1c-5b8e-9a61-3c2d1e0f4a5b",
    "request_id": "HIS-20260310-000123",
    "institution_code": "H31010100001",
    "person_id": "8d7c6f1e-2b3a-8c4d-9e5f-0a1b2c3d4e5f",
    "status": "settled",
    "total": "1300.00",
    "out_of_scope": "0.00",
    "self_pay_first": "0.00",
    "eligible": "1300.00",
    "deductible": "300.00",
    "ratio": "0.65",
    "fund_pay": "650.00",
    "basic_fund_pay": "650.00",
    "major_fund_pay": "0.00",
    "over_cap": "0.00",
    "account_pay": "0.00",
    "cash_pay": "650.00",
    "policy_version": "demo-2026",
    "reason_codes": [],
    "position": 42,
}


class SettlementResult(Outbound):
    """A settlement's outcome; amounts are null for a rejected claim."""

    model_config = ConfigDict(
        json_schema_extra={"additionalProperties": False, "examples": [RESULT_EXAMPLE]}
    )

    settlement_id: UUID | None
    request_id: str
    institution_code: str
    person_id: UUID
    status: SettlementStatus
    total: MoneyOut | None = None
    out_of_scope: MoneyOut | None = None
    self_pay_first: MoneyOut | None = None
    eligible: MoneyOut | None = None
    deductible: MoneyOut | None = None
    ratio: RatioOut | None = None
    fund_pay: MoneyOut | None = None
    basic_fund_pay: MoneyOut | None = None
    major_fund_pay: MoneyOut | None = None
    over_cap: MoneyOut | None = None
    account_pay: MoneyOut | None = None
    cash_pay: MoneyOut | None = None
    policy_version: str | None = None
    reason_codes: list[str]
    service_date: date | None = None
    position: Position | None = None


class FieldError(Outbound):
    field: str
    message: str


class Problem(Outbound):
    """RFC 9457 problem details, with the machine `code` of the refusal."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    field: str | None = None
    errors: list[FieldError] | None = None
    settlement_id: UUID | None = None
    request_id: str | None = None
    reason_codes: list[str] | None = None
    position: Position | None = None
