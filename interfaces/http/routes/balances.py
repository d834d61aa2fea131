"""Views of money: fund balances, institutions' and persons' years, reconciliation (对总账),
and how far each projection has read."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from application.context import AUDITOR
from domain.errors import NotFound
from interfaces.http.auth import Caller, Operator, Reader, require_own
from interfaces.http.deps import RegionDep, RequestIds, ViewsDep, context_for
from interfaces.http.schemas import views as out
from interfaces.http.schemas.types import Day, InstitutionCode
from interfaces.http.strict_body import StrictRoute
from projections.queries.trails import ProjectionStatusRow

router = APIRouter(tags=["views"], route_class=StrictRoute)
YearQuery = Annotated[int | None, Query(ge=1900, le=2999, description="default: this year")]


@router.get("/v1/balances/funds/{fund_id}")
def fund_balance(
    fund_id: UUID, actor: Operator, views: ViewsDep, as_of: Day | None = None
) -> out.FundBalance:
    """Balance, income and outgo by kind, as of the end of a day (default: now)."""
    found = views.fund_balance(fund_id, as_of)
    if found is None:
        raise NotFound(f"no fund {fund_id}")
    return out.FundBalance.model_validate(found, from_attributes=True)


@router.get("/v1/balances/institutions/{institution_code}")
def institution_balance(
    institution_code: InstitutionCode,
    actor: Reader,
    region: RegionDep,
    views: ViewsDep,
    year: YearQuery = None,
) -> out.InstitutionBalance:
    """Settled, reversed, clawed back, penalties, disbursed, owed each way, budget use."""
    require_own(actor, institution_code)
    found = views.institution_balance(institution_code, year or region.today().year)
    return out.InstitutionBalance.model_validate(found, from_attributes=True)


@router.get("/v1/balances/persons/{person_id}")
def person_balance(
    person_id: UUID,
    actor: Reader,
    ids: RequestIds,
    region: RegionDep,
    views: ViewsDep,
    year: YearQuery = None,
) -> out.PersonBalance:
    """The person's accumulators for the year and the account balance."""
    found = views.person_balance(person_id, year or region.today().year)
    if found is None:
        raise NotFound(f"no person {person_id}")
    if actor.role == AUDITOR:
        region.record_personal_data_read(context_for(actor, ids), [person_id], purpose="balance")
    return out.PersonBalance.model_validate(found, from_attributes=True)


@router.get("/v1/reconciliation")
def reconciliation(
    institution_code: InstitutionCode,
    day: Annotated[Day, Query(alias="date")],
    actor: Reader,
    views: ViewsDep,
) -> out.Reconciliation:
    """Per scheme, the settlements minus reversals recorded that day (对总账)."""
    require_own(actor, institution_code)
    lines = views.reconciliation(institution_code, day)
    return out.Reconciliation(
        institution_code=institution_code,
        date=day,
        items=[out.ReconciliationLine.model_validate(row, from_attributes=True) for row in lines],
    )


@router.get("/v1/projections")
def projections(actor: Caller, views: ViewsDep, region: RegionDep) -> out.ProjectionStatus:
    """Each projection's position, the store's head, the lag, and where a failure stopped it."""
    states = [_state(s) for s in views.projection_status()]
    return out.ProjectionStatus(head=region.head(), items=states)


def _state(row: ProjectionStatusRow) -> out.ProjectionState:
    """The state without the failure's text: it may quote the data it failed on."""
    stopped = row.error_position if row.error is not None else None
    return out.ProjectionState(
        name=row.name,
        position=row.position,
        head=row.head,
        lag=row.lag,
        last_progress_at=row.last_progress_at,
        stopped_at=stopped,
    )
