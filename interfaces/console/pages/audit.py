"""Audit trail: the events by filter, an aggregate's timeline, and its state as of a version
or an instant beside the previous version. Reads go through the API's audit routes, so a page
that shows a person's events records the read exactly as the API does (调阅登记)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from interfaces.console.diff import side_by_side
from interfaces.console.render import Refusal, attempt, guard, ids, page, parse
from interfaces.console.session import SignedIn
from interfaces.http.auth import Auditor
from interfaces.http.deps import region, views
from interfaces.http.routes import audit
from interfaces.http.schemas.types import Instant, QueryText

router = APIRouter(prefix="/console/audit", include_in_schema=False)
PAGE_SIZE = 50
TIMELINE_LIMIT = 1000


@router.get("")
def trail(
    request: Request,
    session: SignedIn,
    aggregate_id: str = "",
    event_type: str = "",
    actor: str = "",
    since: str = "",
    until: str = "",
    after: str = "",
) -> HTMLResponse:
    who = guard(session, Auditor)
    shown = {
        "aggregate_id": aggregate_id,
        "event_type": event_type,
        "actor": actor,
        "since": since,
        "until": until,
    }

    def read() -> Any:
        return audit.events(
            who,
            ids(request),
            region(request),
            views(request),
            aggregate_id=parse(UUID, "aggregate_id", aggregate_id),
            event_type=parse(QueryText, "event_type", event_type),
            actor_id=parse(QueryText, "actor", actor),
            since=parse(Instant, "since", since),
            until=parse(Instant, "until", until),
            after=parse(int, "after", after) or 0,
            limit=PAGE_SIZE,
        )

    found, refusal = attempt(read)
    return page(
        request,
        session,
        "audit.html",
        refusal.status if refusal else 200,
        title="Audit trail 审计追踪",
        filters=shown,
        found=found,
        refusal=refusal,
    )


@router.get("/aggregates/{aggregate_id}")
def aggregate(
    request: Request, session: SignedIn, aggregate_id: UUID, version: str = "", as_of: str = ""
) -> HTMLResponse:
    who = guard(session, Auditor)

    def read() -> dict[str, Any]:
        wanted = parse(int, "version", version)
        if wanted is not None and wanted < 1:
            raise Refusal(422, "VALIDATION_ERROR", "version: versions start at 1")
        at = parse(Instant, "as_of", as_of)
        timeline = audit.events(
            who,
            ids(request),
            region(request),
            views(request),
            aggregate_id=aggregate_id,
            limit=TIMELINE_LIMIT,
        )
        state = _replay(request, who, aggregate_id, version=wanted, as_of=at)
        before = None
        if state["version"] > 1:
            before = _replay(request, who, aggregate_id, version=state["version"] - 1)
        rows = side_by_side(before and before["state"], state["state"])
        return {"timeline": timeline, "state": state, "before": before, "rows": rows}

    found, refusal = attempt(read)
    return page(
        request,
        session,
        "aggregate.html",
        refusal.status if refusal else 200,
        title=f"Aggregate {aggregate_id}",
        aggregate_id=aggregate_id,
        asked={"version": version, "as_of": as_of},
        found=found,
        refusal=refusal,
    )


def _replay(request: Request, who: Any, aggregate_id: UUID, **at: Any) -> dict[str, Any]:
    """The API's replay (which records the read of a person's data)."""
    return audit.aggregate(aggregate_id, who, ids(request), region(request), **at)
