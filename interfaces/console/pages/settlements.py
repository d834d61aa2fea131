"""Settlements and reconciliation: a day's reconciliation by scheme (对总账), and a settlement
with its figures split the way DOMAIN.md §5 computes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from application.context import Actor
from interfaces.console.render import Refusal, attempt, guard, page, parse
from interfaces.console.session import SignedIn
from interfaces.http.auth import Reader
from interfaces.http.deps import region, views
from interfaces.http.routes import balances, records
from interfaces.http.schemas.responses import SettlementResult
from interfaces.http.schemas.types import Day, InstitutionCode

router = APIRouter(prefix="/console/settlements", include_in_schema=False)


@router.get("")
def settlements(
    request: Request,
    session: SignedIn,
    institution_code: str = "",
    day: str = "",
    settlement_id: str = "",
) -> HTMLResponse:
    actor = guard(session, Reader)
    code = institution_code or actor.institution_code or ""
    shown = {"institution_code": code, "day": day or region(request).today().isoformat()}
    reconciliation, refused_day = attempt(lambda: _reconciliation(request, actor, shown))
    settlement, refused_one = (None, None)
    if settlement_id:
        settlement, refused_one = attempt(lambda: _settlement(request, actor, settlement_id))
    refusal = refused_one or refused_day
    return page(
        request,
        session,
        "settlements.html",
        refusal.status if refusal else 200,
        title="Settlements 结算与对账",
        shown=shown,
        settlement_id=settlement_id,
        reconciliation=reconciliation,
        settlement=settlement,
        steps=steps(settlement) if settlement else [],
        refusal=refusal,
    )


def _reconciliation(request: Request, actor: Actor, shown: dict[str, str]) -> Any:
    code = parse(InstitutionCode, "institution_code", shown["institution_code"])
    day: date | None = parse(Day, "date", shown["day"])
    if code is None or day is None:
        return None
    return balances.reconciliation(code, day, actor, views(request))


def _settlement(request: Request, actor: Actor, text: str) -> SettlementResult:
    found = parse(UUID, "settlement_id", text)
    if found is None:
        raise Refusal(422, "VALIDATION_ERROR", "settlement_id: required")
    return records.settlement(found, actor, views(request))


def steps(s: SettlementResult) -> list[dict[str, Any]]:
    """§5's steps, each a labelled figure with how it follows from the ones above. The
    figures are the settlement's own; nothing is recomputed but the two sums that §5 states
    as identities (the fund share before the cap, the person's share)."""
    if s.total is None or s.fund_pay is None:
        return []
    fund_raw = s.fund_pay + (s.over_cap or Decimal(0))
    person_share = s.total - s.fund_pay
    return [
        {"n": 1, "key": "total", "value": s.total, "how": "Σ item amounts"},
        {"n": 2, "key": "out_of_scope", "value": s.out_of_scope, "how": "Σ C items"},
        {"n": 3, "key": "self_pay_first", "value": s.self_pay_first, "how": "Σ B items × B ratio"},
        {"n": 4, "key": "eligible", "value": s.eligible, "how": "(1) − (2) − (3)", "sum": True},
        {"n": 5, "key": "deductible", "value": s.deductible, "how": "min(eligible, remaining)"},
        {"n": 6, "key": "ratio", "ratio": s.ratio, "how": "base + bonus, ≤ 100 %"},
        {"n": 7, "key": "fund_raw", "value": fund_raw, "how": "((4) − (5)) × (6)"},
        {"n": 8, "key": "over_cap", "value": s.over_cap, "how": "over the annual cap"},
        {"n": 8, "key": "fund_pay", "value": s.fund_pay, "how": "(7) − (8)", "sum": True},
        {"n": "", "key": "basic_fund_pay", "value": s.basic_fund_pay, "how": "basic layer"},
        {"n": "", "key": "major_fund_pay", "value": s.major_fund_pay, "how": "major layer"},
        {"n": 9, "key": "person_share", "value": person_share, "how": "(1) − fund pay"},
        {"n": "", "key": "account_pay", "value": s.account_pay, "how": "min(balance, share)"},
        {"n": "", "key": "cash_pay", "value": s.cash_pay, "how": "share − account", "sum": True},
    ]
