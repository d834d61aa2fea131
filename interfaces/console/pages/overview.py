"""Overview: the log head, each projection's position, lag and failure, and (for auditors)
the chain's state with a verify that runs in steps so the page can show its progress."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from interfaces.console.render import admits, guard, page
from interfaces.console.session import SignedIn
from interfaces.http.auth import Auditor, Caller
from interfaces.http.deps import region, views
from interfaces.http.routes import audit, balances
from interfaces.http.schemas.records import ChainVerification

router = APIRouter(prefix="/console", include_in_schema=False)
Position = Annotated[int, Query(ge=1, le=2**62)]


@router.get("/")
def overview(request: Request, session: SignedIn) -> HTMLResponse:
    actor = guard(session, Caller)
    status = balances.projections(actor, views(request), region(request))
    return page(
        request,
        session,
        "overview.html",
        title="Overview 概览",
        status_=status,
        can_verify=admits(Auditor, actor),
        chain=_last(request),
    )


@router.get("/chain/verify")
def verify_step(
    request: Request,
    session: SignedIn,
    first: Annotated[int, Query(alias="from", ge=1, le=2**62)],
    to: Position,
) -> ChainVerification:
    """One step of a verify run (the page asks for the log in slices to show progress): the
    API's verify over [from, to]; a clean run from position 1 is remembered as verified."""
    actor = guard(session, Auditor)
    found = audit.verify(actor, views(request), first, to)
    _remember(request, first, found)
    return found


def _last(request: Request) -> dict[str, Any] | None:
    found: dict[str, Any] | None = getattr(request.app.state, "console_chain", None)
    return found


def _remember(request: Request, first: int, found: ChainVerification) -> None:
    """The furthest position a run from the start has verified so far in this process."""
    last = _last(request)
    contiguous = first == 1 or (last is not None and last["ok"] and last["position"] == first - 1)
    if not contiguous:
        return
    request.app.state.console_chain = {
        "ok": found.ok,
        "position": first - 1 + found.checked,
        "head_hash": found.head_hash or (last or {}).get("head_hash"),
        "first_mismatch_position": found.first_mismatch_position,
        "at": datetime.now(UTC),
    }
