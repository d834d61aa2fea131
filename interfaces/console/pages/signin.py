"""Signing in and out; `/` sends a browser to the console."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from interfaces.console import session as s
from interfaces.console.render import Refusal, page
from interfaces.http.deps import region

router = APIRouter(include_in_schema=False)
SEE_OTHER = 303


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/console/", status_code=SEE_OTHER)


@router.get("/console/login")
def sign_in_form(request: Request) -> HTMLResponse:
    return _form(request, None)


@router.post("/console/login")
def sign_in(
    request: Request,
    token: Annotated[str, Form(max_length=200)] = "",
    nonce: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    if not s.login_nonce_ok(request, nonce):
        return _form(request, Refusal(403, "FORBIDDEN", "the sign-in form expired; try again"))
    if region(request).authenticate(token.strip()) is None:
        return _form(request, Refusal(401, "UNAUTHORIZED", "the token is unknown or revoked"))
    response = RedirectResponse("/console/", status_code=SEE_OTHER)
    s.open_session(response, request, token.strip())
    return response


@router.post("/console/logout")
def sign_out(session: s.Checked) -> RedirectResponse:
    response = RedirectResponse("/console/login", status_code=SEE_OTHER)
    s.close_session(response)
    return response


def _form(request: Request, refusal: Refusal | None) -> HTMLResponse:
    nonce = s.new_login_nonce()
    status = refusal.status if refusal else 200
    response = page(
        request, None, "login.html", status, title="Sign in 登录", refusal=refusal, nonce=nonce
    )
    s.set_login_nonce(response, request, nonce)
    return response
