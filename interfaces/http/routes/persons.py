"""Agency commands on insured persons (参保登记, 暂停, 恢复, 终止, 个人账户划入)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from interfaces.http import plausibility
from interfaces.http.auth import AgencyContext
from interfaces.http.deps import RegionDep
from interfaces.http.schemas import requests as rq
from interfaces.http.schemas.responses import PersonEnrolled, Recorded
from interfaces.http.strict_body import StrictRoute

router = APIRouter(prefix="/v1/persons", tags=["agency: persons"], route_class=StrictRoute)


@router.post("", status_code=201)
def enroll(body: rq.PersonEnrollment, ctx: AgencyContext, region: RegionDep) -> PersonEnrolled:
    """Enroll a person in a scheme; the same ID and scheme again is 409 ALREADY_ENROLLED."""
    enrolled = region.enroll(ctx, **plausibility.enrollment(body, region).model_dump())
    return PersonEnrolled(person_id=enrolled.person_id, position=enrolled.position)


@router.post("/{person_id}/suspensions", status_code=201)
def suspend(
    person_id: UUID, body: rq.PersonSuspension, ctx: AgencyContext, region: RegionDep
) -> Recorded:
    return Recorded(position=region.suspend_person(ctx, person_id, **body.model_dump()))


@router.post("/{person_id}/reinstatements", status_code=201)
def reinstate(
    person_id: UUID, body: rq.Reinstatement, ctx: AgencyContext, region: RegionDep
) -> Recorded:
    return Recorded(position=region.reinstate_person(ctx, person_id, **body.model_dump()))


@router.post("/{person_id}/terminations", status_code=201)
def terminate(
    person_id: UUID, body: rq.PersonTermination, ctx: AgencyContext, region: RegionDep
) -> Recorded:
    return Recorded(position=region.terminate_person(ctx, person_id, **body.model_dump()))


@router.post("/{person_id}/account-credits", status_code=201)
def credit_account(
    person_id: UUID, body: rq.AccountCredit, ctx: AgencyContext, region: RegionDep
) -> Recorded:
    """Credit the personal account for a month (employee scheme only)."""
    return Recorded(position=region.credit_account(ctx, person_id, **body.model_dump()))
