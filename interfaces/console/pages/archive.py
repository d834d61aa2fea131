"""Archive: records by class, due date and hold state; monthly volumes and their seals; the
holds and the disposal register; for archivists, the forms of `archive_office`."""

from __future__ import annotations

from typing import Any, get_type_hints

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from application.context import Actor
from interfaces.console.render import Refusal, admits, attempt, guard, page, parse
from interfaces.console.session import Session, SignedIn
from interfaces.http.auth import Archivist
from interfaces.http.deps import region, views
from interfaces.http.routes import archive, archive_commands
from interfaces.http.schemas.types import Code, Day

router = APIRouter(prefix="/console/archive", include_in_schema=False)
PAGE_SIZE = 50
HELD = {"": None, "yes": True, "no": False}
FILTERS = ("record_class", "due_before", "held", "after", "year")
# The role dependency of the API's archivist commands, read from the route module itself.
ACTS = get_type_hints(archive_commands.archivist_context, include_extras=True)["actor"]


def may_act(actor: Actor) -> bool:
    """Whether the API would let this actor hold, dispose and export."""
    return admits(ACTS, actor)


@router.get("")
def catalogue(
    request: Request, session: SignedIn, notice: str = "", min_position: str = ""
) -> HTMLResponse:
    """The catalogue; after an action, once the views have caught up with it (≤ 5 s)."""
    _, lagging = attempt(lambda: _caught_up(request, min_position))
    return render_catalogue(request, session, refusal=lagging, notice=notice[:300])


def _caught_up(request: Request, min_position: str) -> None:
    """Wait (≤ the API's freshness timeout) until the views show the command just done."""
    position = parse(int, "min_position", min_position)
    timeout: float = request.app.state.freshness_timeout
    if position is not None and not views(request).wait_for(position, timeout):
        raise Refusal(503, "PROJECTION_LAGGING", f"the views have not reached {position}")


def render_catalogue(
    request: Request, session: Session, *, refusal: Refusal | None = None, notice: str = ""
) -> HTMLResponse:
    actor = guard(session, Archivist)
    shown = {f: request.query_params.get(f, "") for f in FILTERS}
    records, refused_records = attempt(lambda: _records(request, actor, shown))
    volumes, refused_volumes = attempt(lambda: _volumes(request, actor, shown["year"]))
    holds, refused_holds = attempt(lambda: archive.holds(actor, region(request)))
    register, refused_register = attempt(lambda: archive.disposals(actor, region(request)))
    refusal = refusal or refused_records or refused_volumes or refused_holds or refused_register
    return page(
        request,
        session,
        "archive.html",
        refusal.status if refusal else 200,
        title="Archive 档案",
        shown=shown,
        records=records,
        volumes=volumes,
        holds=holds,
        disposals=register,
        may_act=may_act(actor),
        notice=notice,
        refusal=refusal,
    )


def _records(request: Request, actor: Actor, shown: dict[str, str]) -> Any:
    return archive.records(
        actor,
        views(request),
        record_class=parse(Code, "record_class", shown["record_class"]),
        due_before=parse(Day, "due_before", shown["due_before"]),
        held=HELD.get(shown["held"]),
        after=parse(int, "after", shown["after"]) or 0,
        limit=PAGE_SIZE,
    )


def _volumes(request: Request, actor: Actor, year: str) -> Any:
    return archive.volumes(actor, views(request), year=parse(int, "year", year), limit=1000)
