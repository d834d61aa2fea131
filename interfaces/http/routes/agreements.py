"""Agency commands on service agreements (签订, 续签, 中止, 恢复, 解除)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from interfaces.http.auth import AgencyContext
from interfaces.http.deps import RegionDep
from interfaces.http.schemas import requests as rq
from interfaces.http.schemas.responses import AgreementSigned, Recorded
from interfaces.http.strict_body import StrictRoute

router = APIRouter(prefix="/v1/agreements", tags=["agency: agreements"], route_class=StrictRoute)


@router.post("", status_code=201)
def sign(body: rq.AgreementSigning, ctx: AgencyContext, region: RegionDep) -> AgreementSigned:
    """Sign an agreement; one agreement in force per institution (409 AGREEMENT_IN_FORCE)."""
    signed = region.sign_agreement(ctx, **body.model_dump())
    return AgreementSigned(agreement_id=signed.agreement_id, position=signed.position)


@router.post("/{agreement_id}/renewals", status_code=201)
def renew(
    agreement_id: UUID, body: rq.AgreementRenewal, ctx: AgencyContext, region: RegionDep
) -> Recorded:
    return Recorded(position=region.renew_agreement(ctx, agreement_id, **body.model_dump()))


@router.post("/{agreement_id}/suspensions", status_code=201)
def suspend(
    agreement_id: UUID, body: rq.AgreementSuspension, ctx: AgencyContext, region: RegionDep
) -> Recorded:
    return Recorded(position=region.suspend_agreement(ctx, agreement_id, **body.model_dump()))


@router.post("/{agreement_id}/reinstatements", status_code=201)
def reinstate(
    agreement_id: UUID, body: rq.Reinstatement, ctx: AgencyContext, region: RegionDep
) -> Recorded:
    return Recorded(position=region.reinstate_agreement(ctx, agreement_id, **body.model_dump()))


@router.post("/{agreement_id}/terminations", status_code=201)
def terminate(
    agreement_id: UUID, body: rq.AgreementTermination, ctx: AgencyContext, region: RegionDep
) -> Recorded:
    return Recorded(position=region.terminate_agreement(ctx, agreement_id, **body.model_dump()))
