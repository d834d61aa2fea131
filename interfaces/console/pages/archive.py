"""Archive: records by class, due date and hold state; monthly volumes and their seals."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from application.context import Actor
from interfaces.console.render import attempt, guard, page, parse
from interfaces.console.session import SignedIn
from interfaces.http.auth import Archivist
from interfaces.http.deps import views
from interfaces.http.routes import archive
from interfaces.http.schemas.types import Code, Day

router = APIRouter(prefix="/console/archive", include_in_schema=False)
PAGE_SIZE = 50
HELD = {"": None, "yes": True, "no": False}


@router.get("")
def catalogue(
    request: Request,
    session: SignedIn,
    record_class: str = "",
    due_before: str = "",
    held: str = "",
    after: str = "",
    year: str = "",
) -> HTMLResponse:
    actor = guard(session, Archivist)
    shown = {"record_class": record_class, "due_before": due_before, "held": held, "year": year}
    records, refused_records = attempt(lambda: _records(request, actor, shown, after))
    volumes, refused_volumes = attempt(lambda: _volumes(request, actor, year))
    refusal = refused_records or refused_volumes
    return page(
        request,
        session,
        "archive.html",
        refusal.status if refusal else 200,
        title="Archive 档案",
        shown=shown,
        records=records,
        volumes=volumes,
        refusal=refusal,
    )


def _records(request: Request, actor: Actor, shown: dict[str, str], after: str) -> Any:
    return archive.records(
        actor,
        views(request),
        record_class=parse(Code, "record_class", shown["record_class"]),
        due_before=parse(Day, "due_before", shown["due_before"]),
        held=HELD.get(shown["held"]),
        after=parse(int, "after", after) or 0,
        limit=PAGE_SIZE,
    )


def _volumes(request: Request, actor: Actor, year: str) -> Any:
    return archive.volumes(actor, views(request), year=parse(int, "year", year), limit=1000)
