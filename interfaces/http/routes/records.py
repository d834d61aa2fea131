"""Reads of single records from the views: a person, an agreement, a settlement, a budget.

An auditor's or archivist's read of a person is itself recorded (调阅登记).
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from application.context import AUDITOR
from domain.errors import NotFound
from interfaces.http.auth import Reader, require_own
from interfaces.http.deps import RegionDep, RequestIds, ViewsDep, context_for
from interfaces.http.schemas.budgets import BudgetView
from interfaces.http.schemas.responses import SettlementResult
from interfaces.http.schemas.views import AgreementView, PersonView
from interfaces.http.strict_body import StrictRoute

router = APIRouter(tags=["reads"], route_class=StrictRoute)
YearQuery = Annotated[int | None, Query(ge=1900, le=2999, description="default: this year")]


@router.get("/v1/persons/{person_id}")
def person(
    person_id: UUID,
    actor: Reader,
    ids: RequestIds,
    region: RegionDep,
    views: ViewsDep,
    year: YearQuery = None,
) -> PersonView:
    """Status, categories, the year's accumulators and the account balance (ID masked)."""
    found = views.person(person_id, year or region.today().year)
    if found is None:
        raise NotFound(f"no person {person_id}")
    if actor.role == AUDITOR:
        region.record_personal_data_read(context_for(actor, ids), [person_id], purpose="read")
    return PersonView.model_validate(found, from_attributes=True)


@router.get("/v1/agreements/{agreement_id}")
def agreement(agreement_id: UUID, actor: Reader, views: ViewsDep) -> AgreementView:
    """Status, term, suspensions, flags and budget use."""
    found = views.agreement(agreement_id)
    if found is None:
        raise NotFound(f"no agreement {agreement_id}")
    require_own(actor, found.institution_code)
    return AgreementView.model_validate(found, from_attributes=True)


@router.get("/v1/settlements/{settlement_id}")
def settlement(settlement_id: UUID, actor: Reader, views: ViewsDep) -> SettlementResult:
    """The result and its status: settled, rejected, reversed or clawed_back."""
    found = views.settlement(settlement_id)
    if found is None:
        raise NotFound(f"no settlement {settlement_id}")
    require_own(actor, found.institution_code)
    return SettlementResult.model_validate(found, from_attributes=True)


@router.get("/v1/budgets/{budget_id}")
def budget(budget_id: UUID, actor: Reader, views: ViewsDep) -> BudgetView:
    """History, prepayments, the year-to-date fund pay of its agreement's claims, use ratios
    and warnings against the whole and the prorated budget, the clearing and its corrections."""
    found = views.budget(budget_id)
    if found is None:
        raise NotFound(f"no budget {budget_id}")
    require_own(actor, found.institution_code)
    return BudgetView.model_validate(found, from_attributes=True)
