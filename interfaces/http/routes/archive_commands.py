"""Archivists' commands: holds (封存) and two-person disposal (鉴定, 审批, 销毁)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request

from application.context import ARCHIVIST, Actor, Context
from application.region import Region
from interfaces.http.auth import allow
from interfaces.http.deps import RegionDep, RequestIds, context_for, views
from interfaces.http.errors import ProjectionLagging
from interfaces.http.schemas import archive as ar
from interfaces.http.schemas.responses import Recorded
from interfaces.http.strict_body import StrictRoute

LAGGING = {
    503: {"description": "the views did not catch up with the log in 5 s (PROJECTION_LAGGING)"}
}
router = APIRouter(prefix="/v1/archive", tags=["archivists"], route_class=StrictRoute)


def archivist_context(actor: Annotated[Actor, allow(ARCHIVIST)], ids: RequestIds) -> Context:
    return context_for(actor, ids)


async def _archivist_context(actor: Annotated[Actor, allow(ARCHIVIST)], ids: RequestIds) -> Context:
    return archivist_context(actor, ids)


ArchivistContext = Annotated[Context, Depends(_archivist_context)]


@router.post("/holds", status_code=201)
def place_hold(body: ar.HoldRequest, ctx: ArchivistContext, region: RegionDep) -> ar.HoldPlaced:
    """封存: the records in scope (and those formed later in it) cannot be disposed of."""
    placed = region.place_hold(
        ctx, body.scope.to_scope(), reason=body.reason, legal_basis=body.legal_basis
    )
    return ar.HoldPlaced(hold_id=placed.hold_id, position=placed.position)


@router.post("/holds/{hold_id}/release", status_code=201)
def release_hold(
    hold_id: UUID, body: ar.ReleaseRequest, ctx: ArchivistContext, region: RegionDep
) -> Recorded:
    return Recorded(position=region.release_hold(ctx, hold_id, reason=body.reason))


@router.post("/disposals", status_code=201, responses=LAGGING)  # type: ignore[arg-type]
def propose_disposal(
    body: ar.DisposalProposal, ctx: ArchivistContext, region: RegionDep, request: Request
) -> ar.DisposalProposed:
    """An archivist proposes every record of the aggregates in scope, with an appraisal
    opinion; a record query is resolved by the catalogue (caught up to the log's head), each
    record of each aggregate then checked by the rules."""
    scope = body.scope.to_scope().validate()
    aggregate_ids = list(scope.aggregate_ids) or _resolved(request, region, body.scope)
    proposed = region.propose_disposal(ctx, aggregate_ids, appraisal_opinion=body.appraisal_opinion)
    return ar.DisposalProposed(
        disposal_id=proposed.disposal_id, aggregate_ids=aggregate_ids, position=proposed.position
    )


@router.post("/disposals/{disposal_id}/approval", status_code=201)
def approve_disposal(
    disposal_id: UUID, body: ar.DisposalApproval, ctx: ArchivistContext, region: RegionDep
) -> ar.DisposalExecuted:
    """A different archivist approves: the records' personal data is destroyed at once."""
    done = region.approve_disposal(ctx, disposal_id, reason=body.reason)
    return ar.DisposalExecuted(
        disposal_id=done.disposal_id,
        aggregate_ids=list(done.aggregate_ids),
        position=done.position,
        status="executed",
    )


def _resolved(request: Request, region: Region, scope: ar.Scope) -> list[UUID]:
    head = region.head()
    found = views(request)
    if not found.wait_for(head, request.app.state.freshness_timeout):
        raise ProjectionLagging(f"the views have not reached position {head}")
    criteria = scope.model_dump(exclude={"aggregate_ids"})
    return [UUID(str(a)) for a in found.archive_aggregates(criteria)]
