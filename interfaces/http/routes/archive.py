"""Archivists' reads of the catalogue: records with their archive numbers, monthly volumes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from interfaces.http.auth import Archivist
from interfaces.http.deps import ViewsDep
from interfaces.http.schemas import records as out

router = APIRouter(prefix="/v1/archive", tags=["archivists"])


@router.get("/records")
def records(
    actor: Archivist,
    views: ViewsDep,
    record_class: Annotated[str | None, Query(max_length=32)] = None,
    due_before: date | None = None,
    held: bool | None = None,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> out.ArchiveRecords:
    """Archive number (档号), class, formed and due dates, hold state; in catalogue order."""
    items, cursor = views.archive_records(
        record_class=record_class, due_before=due_before, held=held, after=after, limit=limit
    )
    return out.ArchiveRecords(
        items=[out.ArchiveRecord.model_validate(r) for r in items], next=cursor
    )


@router.get("/volumes")
def volumes(
    actor: Archivist,
    views: ViewsDep,
    year: Annotated[int | None, Query(ge=1900, le=2999)] = None,
    month: Annotated[int | None, Query(ge=1, le=12)] = None,
) -> out.ArchiveVolumes:
    """Monthly volumes (一月一立卷) with their record counts and seal hashes."""
    found = views.archive_volumes(year, month)
    return out.ArchiveVolumes(items=[out.ArchiveVolume.model_validate(v) for v in found])
