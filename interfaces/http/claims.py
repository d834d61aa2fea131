"""Settlement bodies in, settlement results out (the only translation the claim routes need)."""

from __future__ import annotations

from typing import Any

from application.settlements import Adjudication, SettlementRecord, SettlementRequest
from domain.settlement_rules import ClaimItem, SettlementResult
from interfaces.http.errors import ClaimRejected
from interfaces.http.schemas.requests import SettlementBody
from interfaces.http.schemas.responses import SettlementResult as ResultOut

_AMOUNTS = (
    "total",
    "out_of_scope",
    "self_pay_first",
    "eligible",
    "deductible",
    "ratio",
    "fund_pay",
    "basic_fund_pay",
    "major_fund_pay",
    "over_cap",
    "account_pay",
    "cash_pay",
    "policy_version",
)


def to_request(body: SettlementBody) -> SettlementRequest:
    items = tuple(
        ClaimItem(i.code, i.name, i.category, i.quantity, i.unit_price, i.amount)
        for i in body.items
    )
    fields = body.model_dump(exclude={"items"})
    return SettlementRequest(items=items, **fields)


def _figures(result: SettlementResult | None) -> dict[str, Any]:
    return {name: getattr(result, name) for name in _AMOUNTS} if result else {}


def result_of(record: SettlementRecord) -> ResultOut:
    return ResultOut(
        settlement_id=record.settlement_id,
        request_id=record.request_id,
        institution_code=record.institution_code,
        person_id=record.person_id,
        status=record.status,
        reason_codes=list(record.reason_codes),
        service_date=record.service_date,
        position=record.position,
        **_figures(record.result),
    )


def preview_of(body: SettlementBody, adjudication: Adjudication) -> ResultOut:
    result = adjudication.result
    codes = list(result.reason_codes) if result else [adjudication.rejection_code or ""]
    return ResultOut(
        settlement_id=None,
        request_id=body.request_id,
        institution_code=body.institution_code,
        person_id=body.person_id,
        status="preview" if result else "rejected",
        reason_codes=codes,
        service_date=body.service_date,
        **_figures(result),
    )


def rejection(record: SettlementRecord) -> ClaimRejected:
    """A recorded rejection as the 422 the client gets (every time it asks again)."""
    return ClaimRejected(
        record.rejection_code or "REJECTED",
        settlement_id=str(record.settlement_id),
        request_id=record.request_id,
        reason_codes=list(record.reason_codes),
        position=record.position,
    )
