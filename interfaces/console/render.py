"""What every console page shares: the templates, the navigation a role may see, the API's
own role checks, and refusals shown as a page's message instead of problem+json."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from inspect import signature
from pathlib import Path
from typing import Any, TypeVar, get_args
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import TypeAdapter, ValidationError

from application.context import Actor
from domain.errors import DomainError
from interfaces.console import labels
from interfaces.console.session import Session
from interfaces.http.auth import Archivist, Auditor, Caller, Reader
from interfaces.http.deps import request_ids
from interfaces.http.errors import Forbidden, HttpProblem, status_of

T = TypeVar("T")
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals["t"] = labels.label
templates.env.filters["money"] = labels.money
templates.env.filters["percent"] = labels.percent


def merge_query(params: Any, **changes: Any) -> str:
    """The page's query string with some parameters replaced (a next-page link)."""
    merged = {**dict(params), **{k: str(v) for k, v in changes.items()}}
    return urlencode(merged)


templates.env.filters["merge_query"] = merge_query


# Every console page: nothing loads from another origin, no page is framed, none is cached
# (pages may show personal data).
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class Page:
    path: str
    key: str
    reads: Any  # the API's role annotation for what the page reads


PAGES = (
    Page("/console/", "overview", Caller),
    Page("/console/audit", "audit", Auditor),
    Page("/console/settlements", "settlements", Reader),
    Page("/console/budgets", "budgets", Reader),
    Page("/console/archive", "archive", Archivist),
)


class Refusal(Exception):
    """A refusal as the API would answer it (status, code, detail), shown on a page."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


def admits(reads: Any, actor: Actor) -> bool:
    """Whether the API's role dependency `reads` (e.g. `Auditor`) admits this actor: the very
    check the API routes run, not a copy of their rules."""
    dependency: Callable[[Actor], Any] = get_args(reads)[1].dependency
    try:
        _run_to_end(dependency(actor))
    except Forbidden:
        return False
    return True


def _run_to_end(check: Any) -> None:
    """Finish the role check. The API's role dependencies are `async` (they await nothing):
    calling one only makes a coroutine, which must run for its `Forbidden` to be raised."""
    if not inspect.iscoroutine(check):
        return
    try:
        check.send(None)
    except StopIteration:
        return
    check.close()
    raise RuntimeError("a role check awaited something")


def guard(session: Session, reads: Any) -> Actor:
    """The session's actor, if the API would let it read this; else a 403 page."""
    if not admits(reads, session.actor):
        raise Refusal(403, "FORBIDDEN", f"the {session.actor.role} role may not read this")
    return session.actor


def attempt(call: Callable[[], T]) -> tuple[T | None, Refusal | None]:
    """Run an API read or command; a refusal comes back as the API would have answered it."""
    try:
        return call(), None
    except DomainError as refused:
        detail = f"{refused.field}: {refused.detail}" if refused.field else refused.detail
        return None, Refusal(status_of(refused), refused.code, detail)
    except HttpProblem as refused:
        return None, Refusal(refused.status, refused.code, refused.detail)
    except Refusal as refused:
        return None, refused


def ids(request: Request) -> tuple[str, str]:
    """The audit envelope's request and correlation ids, made by the API's own dependency
    (which takes the request where the access log hands out request ids)."""
    if signature(request_ids).parameters:
        return request_ids(request)  # type: ignore[call-arg, unused-ignore]
    return request_ids()  # type: ignore[call-arg, unused-ignore]


def parse(kind: Any, field: str, text: str | None) -> Any:
    """A form or query value validated by the API's own type for it; blank is None."""
    if text is None or text.strip() == "":
        return None
    try:
        return TypeAdapter(kind).validate_python(text.strip())
    except ValidationError as invalid:
        message = invalid.errors()[0]["msg"]
        raise Refusal(422, "VALIDATION_ERROR", f"{field}: {message}") from None


def page(
    request: Request, session: Session | None, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    nav = [p for p in PAGES if session is not None and admits(p.reads, session.actor)]
    response = templates.TemplateResponse(
        request,
        template,
        {"session": session, "nav": nav, "path": request.url.path, **context},
        status_code=status,
    )
    response.headers.update(HEADERS)
    return response
