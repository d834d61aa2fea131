"""Signing in to the console: the API token lives in an HttpOnly, SameSite=Strict cookie
(never in a URL), and every request authenticates it again, so a revoked token signs out at
once. Forms that change state carry a CSRF token derived from the session token."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, Request, Response

from application.context import Actor
from interfaces.http.deps import region

COOKIE = "yibao_console"
LOGIN_COOKIE = "yibao_console_login"
PATH = "/console"
_CSRF_LABEL = b"yibao console csrf v1"


class SignInRequired(Exception):
    """No session, or its token is unknown or revoked: the console answers with the sign-in."""


class CsrfRefused(Exception):
    """A state-changing form without the session's CSRF token, or from another origin."""


@dataclass(frozen=True)
class Session:
    actor: Actor
    csrf: str


def csrf_for(token: str) -> str:
    """The session's CSRF token: only a page of this origin that can read it may post."""
    return hmac.new(token.encode(), _CSRF_LABEL, hashlib.sha256).hexdigest()


def signed_in(request: Request) -> Session:
    token = request.cookies.get(COOKIE)
    actor = region(request).authenticate(token) if token else None
    if actor is None or token is None:
        raise SignInRequired()
    return Session(actor, csrf_for(token))


SignedIn = Annotated[Session, Depends(signed_in)]


def same_origin(request: Request) -> bool:
    """A browser's `Origin` (sent with every POST) names this server, or is absent."""
    origin = request.headers.get("origin")
    return origin is None or origin == f"{request.url.scheme}://{request.url.netloc}"


def checked(session: SignedIn, request: Request, csrf: Annotated[str, Form()] = "") -> Session:
    """The session of a state-changing form, once its CSRF token and origin are right."""
    if not (same_origin(request) and hmac.compare_digest(csrf, session.csrf)):
        raise CsrfRefused()
    return session


Checked = Annotated[Session, Depends(checked)]


def _cookie(response: Response, request: Request, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        path=PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def open_session(response: Response, request: Request, token: str) -> None:
    _cookie(response, request, COOKIE, token)
    response.delete_cookie(LOGIN_COOKIE, path=PATH)


def close_session(response: Response) -> None:
    response.delete_cookie(COOKIE, path=PATH)


def new_login_nonce() -> str:
    """A fresh nonce for the sign-in form, also set as a cookie (a double submit): a page of
    another site cannot sign a browser in under the other site's token."""
    return secrets.token_urlsafe(24)


def set_login_nonce(response: Response, request: Request, nonce: str) -> None:
    _cookie(response, request, LOGIN_COOKIE, nonce)


def login_nonce_ok(request: Request, submitted: str) -> bool:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    return bool(expected) and same_origin(request) and hmac.compare_digest(expected, submitted)
