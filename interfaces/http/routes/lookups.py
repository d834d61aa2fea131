"""Reads that are POSTs: the person lookup (the ID never sits in a URL) and the preview (试算).

Neither changes any record; the lookup is itself recorded as a read of personal data.
"""

from __future__ import annotations

from fastapi import APIRouter

from interfaces.http import claims
from interfaces.http.auth import Clinician, Reader, require_own
from interfaces.http.deps import RegionDep, RequestIds, context_for
from interfaces.http.schemas.requests import PersonLookup, SettlementBody
from interfaces.http.schemas.responses import PersonMatch, PersonMatches, SettlementResult

router = APIRouter(tags=["reads"])


@router.post("/v1/persons/lookup")
def lookup(body: PersonLookup, actor: Reader, ids: RequestIds, region: RegionDep) -> PersonMatches:
    """Find a person's enrollments by national ID (404 PERSON_NOT_FOUND); the read is recorded."""
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
    return claims.preview_of(body, region.preview(claims.to_request(body)))
