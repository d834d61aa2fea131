"""Agency commands on fund accounts (基金账户: 开户, 征缴入账, 拨付)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from interfaces.http.auth import AgencyContext
from interfaces.http.deps import RegionDep
from interfaces.http.schemas import requests as rq
from interfaces.http.schemas.responses import FundOpened, Recorded
from interfaces.http.strict_body import StrictRoute

router = APIRouter(prefix="/v1/funds", tags=["agency: funds"], route_class=StrictRoute)


@router.post("", status_code=201)
def open_fund(body: rq.FundOpening, ctx: AgencyContext, region: RegionDep) -> FundOpened:
    opened = region.open_fund(ctx, **body.model_dump())
    return FundOpened(fund_id=opened.fund_id, position=opened.position)


@router.post("/{fund_id}/contributions", status_code=201)
def contribute(
    fund_id: UUID, body: rq.Contribution, ctx: AgencyContext, region: RegionDep
) -> Recorded:
    return Recorded(position=region.receive_contribution(ctx, fund_id, **body.model_dump()))


@router.post("/{fund_id}/disbursements", status_code=201)
def disburse(
    fund_id: UUID, body: rq.Disbursement, ctx: AgencyContext, region: RegionDep
) -> Recorded:
    """Pay an institution; beyond the balance is 422 INSUFFICIENT_FUNDS."""
    return Recorded(position=region.disburse(ctx, fund_id, **body.model_dump()))
