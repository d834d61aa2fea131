"""Archivists' reads of the catalogue: records with their archive numbers, monthly volumes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from interfaces.http.auth import Archivist
from interfaces.http.deps import RegionDep, ViewsDep
from interfaces.http.schemas import archive as ar
from interfaces.http.schemas import records as out
from interfaces.http.schemas.types import Code, Day
from interfaces.http.strict_body import StrictRoute

router = APIRouter(prefix="/v1/archive", tags=["archivists"], route_class=StrictRoute)


@router.get("/records")
def records(
    actor: Archivist,
    views: ViewsDep,
    record_class: Code | None = None,
    due_before: Day | None = None,
    held: bool | None = None,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> out.ArchiveRecords:
    """Archive number (档号), class, formed and due dates, hold state; in catalogue order."""
    items, cursor = views.archive_records(
        record_class=record_class, due_before=due_before, held=held, after=after, limit=limit
    )
    return out.ArchiveRecords(
        items=[out.ArchiveRecord.model_validate(r, from_attributes=True) for r in items],
        next=cursor,
    )


VolumeCursor = Annotated[
    str | None,
    Query(
        pattern=r"^[0-9]{4}-[0-9]{2}-[a-z_]{1,32}$",
        description="the `next` of the previous page (a volume id)",
    ),
]


@router.get("/volumes")
def volumes(
    actor: Archivist,
    views: ViewsDep,
    year: Annotated[int | None, Query(ge=1900, le=2999)] = None,
    month: Annotated[int | None, Query(ge=1, le=12)] = None,
    after: VolumeCursor = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> out.ArchiveVolumes:
    """Monthly volumes (一月一立卷) with their record counts and seal hashes, in the order of
    their ids (year, month, record class); `after` is the last id of the previous page."""
    # Ordered here, by code point: a database collation may order the classes otherwise.
    listed = sorted(views.archive_volumes(year, month), key=lambda v: v.volume_id)
    found = [v for v in listed if after is None or v.volume_id > after]
    page = found[:limit]
    cursor = page[-1].volume_id if len(found) > limit else None
    return out.ArchiveVolumes(
        items=[out.ArchiveVolume.model_validate(v, from_attributes=True) for v in page],
        next=cursor,
    )


@router.get("/holds")
def holds(actor: Archivist, region: RegionDep) -> ar.Holds:
    """Every hold placed, active or released, in the order placed."""
    return ar.Holds(
        items=[
            ar.HoldOut(
                hold_id=h.hold_id,
                active=h.active,
                legal_basis=h.legal_basis,
                aggregate_ids=list(h.scope.aggregate_ids),
                record_class=h.scope.record_class,
                since=h.scope.since,
                until=h.scope.until,
                institution_code=h.scope.institution_code,
                person_id=h.scope.person_id,
            )
            for h in region.holds()
        ]
    )


@router.get("/disposals")
def disposals(actor: Archivist, region: RegionDep) -> ar.Disposals:
    """The disposal register (销毁清册): proposals and executed disposals, permanent."""
    return ar.Disposals(
        items=[
            ar.DisposalOut(
                disposal_id=d.disposal_id,
                status=d.status,
                aggregate_ids=list(d.aggregate_ids),
                appraisal_opinion=d.appraisal_opinion,
                proposed_by=d.proposed_by,
                approved_by=d.approved_by,
            )
            for d in region.disposals()
        ]
    )
