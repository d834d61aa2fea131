"""Per-request plumbing the routes share: the container, the command context, read freshness."""

from __future__ import annotations

from typing import Annotated, Any, cast
from uuid import uuid4

from fastapi import Depends, Header, Query, Request

from application.context import Actor, Context
from application.region import Region
from interfaces.http.access_log import REQUEST_ID
from interfaces.http.freshness import wait_until_fresh
from interfaces.http.schemas.types import IdempotencyKey
from projections.queries import Views


def container(request: Request) -> Any:
    return request.app.state.container


def region(request: Request) -> Region:
    return cast(Region, container(request).region)


def views(request: Request) -> Views:
    return cast(Views, container(request).views)


async def _region(request: Request) -> Region:
    # Dependencies that do no I/O are `async`: FastAPI runs a plain `def` one in a worker
    # thread, a hop per dependency per request (profiled: a settlement paid four of them).
    return region(request)


RegionDep = Annotated[Region, Depends(_region)]


# The projections each query route reads: a read waits (`min_position`) for those only.
# None (the projections' own status, and any route not listed): every projection.
READS: dict[str, tuple[str, ...] | None] = {
    "/v1/projections": None,
    "/v1/balances/funds/{fund_id}": ("balances",),
    "/v1/balances/institutions/{institution_code}": ("balances",),
    "/v1/balances/persons/{person_id}": ("persons",),
    "/v1/reconciliation": ("reconciliation",),
    "/v1/persons/{person_id}": ("persons",),
    "/v1/agreements/{agreement_id}": ("agreements", "balances"),
    "/v1/settlements/{settlement_id}": ("settlements",),
    "/v1/budgets/{budget_id}": ("balances",),
    "/v1/audit/events": ("audit_trail",),
    "/v1/audit/verify": ("audit_trail",),
    "/v1/archive/records": ("archive_catalogue", "archive_holds"),
    "/v1/archive/volumes": ("archive_catalogue",),
}


async def fresh_views(
    request: Request,
    min_position: Annotated[
        int | None,
        Query(
            ge=0,
            le=2**62,
            description="wait (≤ 5 s) until the views have reached it; beyond the log's head "
            "→ 422 at once",
        ),
    ] = None,
) -> Views:
    """The views, once they have caught up with `min_position` (else 503)."""
    found = views(request)
    if min_position is not None:
        route = request.scope.get("route")
        reads = READS.get(getattr(route, "path", ""))  # unknown: wait for every projection
        await wait_until_fresh(request, found, min_position, reads)
    return found


ViewsDep = Annotated[Views, Depends(fresh_views)]


def request_ids(request: Request) -> tuple[str, str]:
    """Fresh request and correlation ids for the audit envelope of one HTTP request; the
    correlation id is the access log's request id.

    Reads never take a request id from the client: derived ids (an access record's) must not
    collide because a client sent the same header twice. Commands may (`Idempotency-Key`)."""
    return uuid4().hex, request.scope.get(REQUEST_ID) or uuid4().hex


async def _request_ids(request: Request) -> tuple[str, str]:
    return request_ids(request)


RequestIds = Annotated[tuple[str, str], Depends(_request_ids)]

IDEMPOTENCY = (
    "The command's request id, recorded with its events (the audit trail's `request_id`); "
    "a fresh one when absent. A retry with the same key and body changes nothing (a clawback "
    "answers the same clawback; contributions, disbursements, recoveries, suspensions, "
    "reinstatements, terminations, renewals and budget adjustments are done once); the same "
    "key with another body is 409 REQUEST_ID_REUSED. Commands with a natural key answer a "
    "retry by it instead (ALREADY_CREDITED, ALREADY_PREPAID, ALREADY_CONFIRMED, "
    "ALREADY_ENROLLED, AGREEMENT_IN_FORCE, ALREADY_EXISTS)."
)


async def idempotency_key(
    key: Annotated[
        IdempotencyKey | None, Header(alias="Idempotency-Key", description=IDEMPOTENCY)
    ] = None,
) -> str:
    return key or ""


IdempotencyKeyDep = Annotated[str, Depends(idempotency_key)]


def context_for(actor: Actor, ids: tuple[str, str], request_id: str = "") -> Context:
    return Context(actor, request_id=request_id or ids[0], correlation_id=ids[1])
