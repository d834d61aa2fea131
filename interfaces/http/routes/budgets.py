"""Agency commands of the total budget cycle (年初预算, 动态调整, 按月预付, 年终清算)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request

from application.budgets import ViewsBehind
from interfaces.http.auth import AgencyContext
from interfaces.http.deps import RegionDep, views
from interfaces.http.errors import ProjectionLagging
from interfaces.http.schemas import requests as rq
from interfaces.http.schemas import responses as rs
from interfaces.http.strict_body import StrictRoute

router = APIRouter(prefix="/v1/budgets", tags=["agency: budgets"], route_class=StrictRoute)


@router.post("", status_code=201)
def issue(body: rq.BudgetIssue, ctx: AgencyContext, region: RegionDep) -> rs.BudgetIssued:
    """Issue an institution's budget for a year and scheme; one per agreement × year × scheme."""
    issued = region.issue_budget(ctx, **body.model_dump())
    return rs.BudgetIssued(budget_id=issued.budget_id, position=issued.position)


@router.post("/{budget_id}/adjustments", status_code=201)
def adjust(
    budget_id: UUID, body: rq.BudgetAdjustment, ctx: AgencyContext, region: RegionDep
) -> rs.Recorded:
    """Set a new yearly figure, with a reason (earlier prepayments stay as they were)."""
    return rs.Recorded(position=region.adjust_budget(ctx, budget_id, **body.model_dump()))


@router.post("/{budget_id}/prepayments", status_code=201)
def prepay(
    budget_id: UUID, body: rq.Prepayment, ctx: AgencyContext, region: RegionDep
) -> rs.Prepaid:
    """Prepay a month from the basic fund; twice for a month is 409 ALREADY_PREPAID."""
    paid = region.prepay(ctx, budget_id, month=body.month)
    return rs.Prepaid(amount=paid.amount, fund_id=paid.fund_id, position=paid.position)


_LAGGING = {
    503: {"description": "the views did not catch up with the log in 5 s (PROJECTION_LAGGING)"}
}


@router.post("/{budget_id}/clearing", status_code=201, responses=_LAGGING)  # type: ignore[arg-type]
def propose_clearing(
    budget_id: UUID, request: Request, ctx: AgencyContext, region: RegionDep
) -> rs.ClearingProposal:
    """Propose the year-end clearing from the institution's fund pay of the year, as the views
    show it once they have caught up with everything recorded so far."""
    timeout: float = request.app.state.freshness_timeout
    try:
        c = region.propose_clearing_as_viewed(ctx, budget_id, views(request), timeout)
    except ViewsBehind as behind:
        raise ProjectionLagging(str(behind)) from None
    return rs.ClearingProposal(
        budget=c.budget,
        actual=c.actual,
        prepaid=c.prepaid,
        fund_pays=c.fund_pays,
        clearing_amount=c.clearing_amount,
        rule=c.rule,
        position=c.position,
    )


@router.post("/{budget_id}/clearing/confirmation", status_code=201)
def confirm_clearing(
    budget_id: UUID, body: rq.ClearingConfirmation, ctx: AgencyContext, region: RegionDep
) -> rs.Recorded:
    """Confirm the proposal: pay the institution or record what it owes back; twice is 409."""
    return rs.Recorded(position=region.confirm_clearing(ctx, budget_id, reason=body.reason))


@router.post("/{budget_id}/clearing/corrections", status_code=201)
def correct_clearing(
    budget_id: UUID, body: rq.ClearingCorrection, ctx: AgencyContext, region: RegionDep
) -> rs.Recorded:
    """Correct a confirmed clearing's "fund pays" figure, with a reason: a new record pointing
    at it. More → first nets what is still owed back (offset), the rest is paid out; less →
    owed back. Not confirmed → 422 CLEARING_NOT_CONFIRMED."""
    position = region.correct_clearing(ctx, budget_id, **body.model_dump())
    return rs.Recorded(position=position)


@router.post("/{budget_id}/clearing/recoveries", status_code=201)
def recover_clearing(
    budget_id: UUID, body: rq.Recovery, ctx: AgencyContext, region: RegionDep
) -> rs.Recorded:
    """Record money owed back after a clearing, recovered by offset or payment (like a
    clawback's); beyond what is outstanding → 422 RECOVERY_EXCEEDS_OUTSTANDING."""
    position = region.record_clearing_recovery(ctx, budget_id, **body.model_dump())
    return rs.Recorded(position=position)
