"""Institution commands: settle a claim (结算) and reverse it (撤销)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from application.context import Context
from interfaces.http import claims, plausibility
from interfaces.http.auth import Institution, require_own
from interfaces.http.deps import RegionDep, RequestIds
from interfaces.http.schemas.requests import ReversalBody, SettlementBody
from interfaces.http.schemas.responses import SettlementResult
from interfaces.http.strict_body import StrictRoute

router = APIRouter(
    prefix="/v1/settlements", tags=["institutions: settlement"], route_class=StrictRoute
)

_REPLAY = {200: {"model": SettlementResult, "description": "the same request again: same result"}}


@router.post("", status_code=201, responses=_REPLAY)  # type: ignore[arg-type]
def settle(
    body: SettlementBody,
    actor: Institution,
    ids: RequestIds,
    region: RegionDep,
    response: Response,
) -> SettlementResult:
    """Settle a claim once per request id: a replay answers 200 with the same result, another
    body under the same id 409 REQUEST_ID_REUSED, a rejected claim 422 with its code."""
    require_own(actor, body.institution_code)
    ctx = Context(actor, request_id=body.request_id, correlation_id=ids[1])
    record = region.settle(ctx, claims.to_request(plausibility.claim(body, region)))
    if record.status == "rejected":
        raise claims.rejection(record)
    if not record.created:
        response.status_code = 200
    return claims.result_of(record)


@router.post("/{settlement_id}/reversal", status_code=201)
def reverse(
    settlement_id: UUID,
    body: ReversalBody,
    actor: Institution,
    ids: RequestIds,
    region: RegionDep,
) -> SettlementResult:
    """Reverse one of the institution's own settlements, once (409 ALREADY_REVERSED)."""
    require_own(actor, region.settlement(settlement_id).institution_code)
    ctx = Context(actor, request_id=body.request_id, correlation_id=ids[1])
    return claims.result_of(region.reverse_settlement(ctx, settlement_id, reason=body.reason))
