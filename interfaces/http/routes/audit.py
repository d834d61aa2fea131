"""Auditors' reads: the event trail, any aggregate as it was, and the chain check.

A person's history is personal (and medical) data: when a page of the trail shows a person's
events, or a replay shows a person, the read is itself recorded (调阅登记)."""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from domain.person import InsuredPerson
from interfaces.http.auth import Auditor
from interfaces.http.deps import RegionDep, RequestIds, ViewsDep, context_for
from interfaces.http.plain import plain
from interfaces.http.schemas import records as out
from interfaces.http.schemas.types import Instant, QueryText
from interfaces.http.strict_body import StrictRoute
from projections.audit_trail import AuditEventRow

router = APIRouter(prefix="/v1/audit", tags=["auditors"], route_class=StrictRoute)
Limit = Annotated[int, Query(ge=1, le=1000)]
PERSON = InsuredPerson.__name__


@router.get("/events")
def events(
    actor: Auditor,
    ids: RequestIds,
    region: RegionDep,
    views: ViewsDep,
    aggregate_id: UUID | None = None,
    event_type: QueryText | None = None,
    actor_id: Annotated[QueryText | None, Query(alias="actor")] = None,
    since: Instant | None = None,
    until: Instant | None = None,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Limit = 100,
) -> out.AuditEvents:
    """Events by ascending position, with who, why, the request and the chain hash; a page
    showing persons' events records the read of their data."""
    items, cursor = views.audit_events(
        aggregate_id=aggregate_id,
        event_type=event_type,
        actor=actor_id,
        since=since,
        until=until,
        after=after,
        limit=limit,
    )
    persons = _persons_in(items)
    if persons:
        region.record_personal_data_read(context_for(actor, ids), persons, purpose="audit trail")
    return out.AuditEvents(items=[_event(row) for row in items], next=cursor)


@router.get("/aggregates/{aggregate_id}")
def aggregate(
    aggregate_id: UUID,
    actor: Auditor,
    ids: RequestIds,
    region: RegionDep,
    version: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    as_of: Instant | None = None,
) -> dict[str, Any]:
    """The aggregate's state at a version or an instant, replayed from its events; replaying
    a person records the read of their data."""
    state: dict[str, Any] = plain(region.aggregate_as_of(aggregate_id, version=version, at=as_of))
    if state["aggregate_type"] == PERSON:
        ctx = context_for(actor, ids)
        region.record_personal_data_read(ctx, [aggregate_id], purpose="audit replay")
    return state


@router.get("/verify")
def verify(
    actor: Auditor,
    views: ViewsDep,
    first: Annotated[int | None, Query(alias="from", ge=1, le=2**62)] = None,
    to: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> out.ChainVerification:
    """Recompute the chain from the event store; the first position that differs, if any."""
    return out.ChainVerification.model_validate(views.verify_chain(first, to), from_attributes=True)


def _persons_in(rows: list[AuditEventRow]) -> list[UUID]:
    shown = (UUID(str(r.aggregate_id)) for r in rows if r.aggregate_type == PERSON)
    return list(dict.fromkeys(shown))


def _event(row: AuditEventRow) -> out.AuditEvent:
    payload: Any = row.payload
    with contextlib.suppress(ValueError):  # not JSON (a cipher): shown as stored
        payload = json.loads(payload)
    return out.AuditEvent.model_validate({**asdict(row), "payload": payload})
