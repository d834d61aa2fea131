"""Auditors' reads: the event trail, any aggregate as it was, and the chain check."""

from __future__ import annotations

import contextlib
import json
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from interfaces.http.auth import Auditor
from interfaces.http.deps import RegionDep, ViewsDep
from interfaces.http.plain import plain
from interfaces.http.schemas import records as out

router = APIRouter(prefix="/v1/audit", tags=["auditors"])
Limit = Annotated[int, Query(ge=1, le=1000)]


@router.get("/events")
def events(
    actor: Auditor,
    views: ViewsDep,
    aggregate_id: UUID | None = None,
    event_type: Annotated[str | None, Query(max_length=200)] = None,
    actor_id: Annotated[str | None, Query(alias="actor", max_length=200)] = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Limit = 100,
) -> out.AuditEvents:
    """Events by ascending position, with who, why, the request and the chain hash."""
    items, cursor = views.audit_events(
        aggregate_id=aggregate_id,
        event_type=event_type,
        actor=actor_id,
        since=since,
        until=until,
        after=after,
        limit=limit,
    )
    return out.AuditEvents(items=[_event(row) for row in items], next=cursor)


@router.get("/aggregates/{aggregate_id}")
def aggregate(
    aggregate_id: UUID,
    actor: Auditor,
    region: RegionDep,
    version: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    as_of: AwareDatetime | None = None,
) -> dict[str, Any]:
    """The aggregate's state at a version or an instant, replayed from its events."""
    state: dict[str, Any] = plain(region.aggregate_as_of(aggregate_id, version=version, at=as_of))
    return state


@router.get("/verify")
def verify(
    actor: Auditor,
    region: RegionDep,
    views: ViewsDep,
    first: Annotated[int | None, Query(alias="from", ge=1, le=2**62)] = None,
    to: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> out.ChainVerification:
    """Recompute the chain from the event store; the first position that differs, if any."""
    return out.ChainVerification.model_validate(views.verify_chain(region, first, to))


def _event(row: dict[str, Any]) -> out.AuditEvent:
    payload = row["payload"]
    with contextlib.suppress(ValueError):  # not JSON (a cipher): shown as stored
        payload = json.loads(payload)
    return out.AuditEvent.model_validate({**row, "payload": payload})
