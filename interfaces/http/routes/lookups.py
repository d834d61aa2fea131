"""Reads that are POSTs: the person lookup (the ID never sits in a URL) and the preview (试算).

Neither changes any record; the lookup is itself recorded as a read of personal data.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from application.context import INSTITUTION, Actor
from interfaces.http import claims, plausibility
from interfaces.http.auth import Clinician, Reader, require_own
from interfaces.http.deps import RegionDep, RequestIds, context_for
from interfaces.http.errors import TooManyRequests
from interfaces.http.schemas.requests import PersonLookup, SettlementBody
from interfaces.http.schemas.responses import PersonMatch, PersonMatches, SettlementResult
from interfaces.http.strict_body import StrictRoute

router = APIRouter(tags=["reads"], route_class=StrictRoute)


def within_limit(request: Request, actor: Reader, ids: RequestIds, region: RegionDep) -> Actor:
    """An institution's lookups are limited per token (429, the refusal recorded)."""
    if actor.role != INSTITUTION:
        return actor
    refused = request.app.state.lookup_limit.admit(actor.actor_id)
    if refused is not None:
        retry_after, first = refused
        if first:
            region.record_personal_data_read(context_for(actor, ids), [], purpose=REFUSED)
        raise TooManyRequests("too many person lookups for this token", retry_after)
    return actor


REFUSED = "lookup_refused"


_LIMITED = {429: {"description": "over the token's lookups a minute (TOO_MANY_REQUESTS)"}}


@router.post("/v1/persons/lookup", responses=_LIMITED)  # type: ignore[arg-type]
def lookup(
    body: PersonLookup,
    actor: Annotated[Actor, Depends(within_limit)],
    ids: RequestIds,
    region: RegionDep,
) -> PersonMatches:
    """Find a person's enrollments by national ID (404 PERSON_NOT_FOUND); the read is recorded.
    An institution's token may look up `YIBAO_LOOKUP_LIMIT` (60) a minute, then 429."""
    found = region.lookup_person(context_for(actor, ids), body.national_id, body.scheme)
    return PersonMatches(
        items=[
            PersonMatch(
                person_id=p.person_id, scheme=p.scheme, status=p.status, masked_id=p.masked_id
            )
            for p in found
        ]
    )


@router.post("/v1/settlements/preview")
def preview(body: SettlementBody, actor: Clinician, region: RegionDep) -> SettlementResult:
    """What the claim would get now; nothing is recorded."""
    require_own(actor, body.institution_code)
    return claims.preview_of(
        body, region.preview(claims.to_request(plausibility.claim(body, region)))
    )
