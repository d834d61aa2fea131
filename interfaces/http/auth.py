"""Bearer tokens and roles: 401 for a missing or unknown token, 403 for the wrong role or for
another institution's data."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from application.context import AGENCY, ARCHIVIST, AUDITOR, INSTITUTION, Actor, Context
from application.tokens import NOT_IN_MEMORY
from interfaces.http.access_log import ACTOR
from interfaces.http.deps import IdempotencyKeyDep, RequestIds, context_for, region
from interfaces.http.errors import Forbidden, Unauthorized

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="a token from `yibao token issue --role …`",
)


async def authenticated(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Actor:
    if credentials is None:
        raise Unauthorized("an Authorization: Bearer token is required")
    found = region(request)
    actor = found.authenticate_from_memory(credentials.credentials)
    if actor is NOT_IN_MEMORY:  # the store must be asked: not on the event loop
        actor = await run_in_threadpool(found.authenticate, credentials.credentials)
    if actor is None:
        raise Unauthorized("the token is unknown or revoked")
    request.scope[ACTOR] = actor  # for the access log line
    return actor


def allow(*roles: str) -> Any:
    """A dependency admitting only these roles."""

    async def admitted(actor: Annotated[Actor, Depends(authenticated)]) -> Actor:
        if actor.role not in roles:
            raise Forbidden(f"the {actor.role} role may not do this")
        return actor

    return Depends(admitted)


def require_own(actor: Actor, institution_code: str | None) -> None:
    """An institution acts and reads only under its own code."""
    if actor.role == INSTITUTION and actor.institution_code != institution_code:
        raise Forbidden("an institution may only act on its own records")


Agency = Annotated[Actor, allow(AGENCY)]
Institution = Annotated[Actor, allow(INSTITUTION)]
Auditor = Annotated[Actor, allow(AUDITOR)]
Archivist = Annotated[Actor, allow(ARCHIVIST, AUDITOR)]
Caller = Annotated[Actor, allow(AGENCY, INSTITUTION, AUDITOR, ARCHIVIST)]
Operator = Annotated[Actor, allow(AGENCY, AUDITOR)]
Clinician = Annotated[Actor, allow(AGENCY, INSTITUTION)]
Reader = Annotated[Actor, allow(AGENCY, INSTITUTION, AUDITOR)]


async def agency_context(actor: Agency, ids: RequestIds, key: IdempotencyKeyDep) -> Context:
    """An agency command's context; its request id is the client's `Idempotency-Key`, if any."""
    return context_for(actor, ids, key)


AgencyContext = Annotated[Context, Depends(agency_context)]
