"""The web console at `/console/`: server-rendered pages for auditors, archivists, the agency
and institutions, reading through the API's own route functions (the same role checks, the
same recording of personal-data reads). `install(app)` is all the app factory calls."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from interfaces.console.pages import (
    archive,
    archive_office,
    audit,
    budgets,
    overview,
    settlements,
    signin,
)
from interfaces.console.render import Refusal, page
from interfaces.console.session import CsrfRefused, Session, SignInRequired, signed_in

STATIC = Path(__file__).parent / "static"
ROUTERS = (signin, overview, audit, settlements, budgets, archive, archive_office)


def install(app: FastAPI) -> None:
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")
    for module in ROUTERS:
        app.include_router(module.router)
    app.add_exception_handler(SignInRequired, _sign_in)
    app.add_exception_handler(Refusal, _refused)
    app.add_exception_handler(CsrfRefused, _csrf_refused)


def _sign_in(_: Request, __: Exception) -> Response:
    return RedirectResponse("/console/login", status_code=303)


def _refused(request: Request, exc: Exception) -> HTMLResponse:
    assert isinstance(exc, Refusal)
    return _refusal_page(request, exc)


def _csrf_refused(request: Request, _: Exception) -> HTMLResponse:
    refused = Refusal(403, "CSRF_REFUSED", "the form's CSRF token is missing or wrong")
    return _refusal_page(request, refused)


def _refusal_page(request: Request, refused: Refusal) -> HTMLResponse:
    """The refusal, with the navigation of whoever is signed in."""
    try:
        session: Session | None = signed_in(request)
    except SignInRequired:
        session = None
    return page(
        request, session, "refused.html", refused.status, title=refused.code, refusal=refused
    )
