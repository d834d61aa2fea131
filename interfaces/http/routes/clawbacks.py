"""Agency commands on clawbacks and penalties (追回, 罚款, 追缴入账)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from interfaces.http.auth import AgencyContext
from interfaces.http.deps import RegionDep
from interfaces.http.schemas import requests as rq
from interfaces.http.schemas.responses import ClawbackAssessed, Recorded
from interfaces.http.strict_body import StrictRoute

router = APIRouter(prefix="/v1/clawbacks", tags=["agency: clawbacks"], route_class=StrictRoute)


@router.post("", status_code=201)
def assess(body: rq.ClawbackAssessment, ctx: AgencyContext, region: RegionDep) -> ClawbackAssessed:
    assessed = region.assess_clawback(ctx, **body.model_dump())
    return ClawbackAssessed(
        clawback_id=assessed.clawback_id,
        amount=assessed.amount,
        penalty=assessed.penalty,
        position=assessed.position,
    )


@router.post("/{clawback_id}/recoveries", status_code=201)
def recover(
    clawback_id: UUID, body: rq.Recovery, ctx: AgencyContext, region: RegionDep
) -> Recorded:
    return Recorded(position=region.record_recovery(ctx, clawback_id, **body.model_dump()))
