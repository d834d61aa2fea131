"""Budgets: an institution's budget for a year and scheme, its fund pay against the whole and
the prorated budget (过程监控), drawn with the 80/90/100 % warning bands."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from application.context import Actor
from domain.budget import budget_id
from domain.errors import NotFound
from interfaces.console.chart import budget_chart
from interfaces.console.render import attempt, guard, page, parse
from interfaces.console.session import SignedIn
from interfaces.http.auth import Reader, require_own
from interfaces.http.deps import region, views
from interfaces.http.routes import records
from interfaces.http.schemas.types import InstitutionCode, Year

router = APIRouter(prefix="/console/budgets", include_in_schema=False)
SCHEMES = ("resident", "employee")


@router.get("")
def budgets(
    request: Request,
    session: SignedIn,
    institution_code: str = "",
    year: str = "",
    scheme: str = "resident",
) -> HTMLResponse:
    actor = guard(session, Reader)
    shown = {
        "institution_code": institution_code or actor.institution_code or "",
        "year": year or str(region(request).today().year),
        "scheme": scheme if scheme in SCHEMES else "resident",
    }
    asked = bool(request.query_params)  # a first visit shows the form, nothing is looked up
    found, refusal = attempt(lambda: _budget(request, actor, shown)) if asked else (None, None)
    chart = None
    if found is not None:
        chart = budget_chart(
            found.year_to_date_fund_pay, found.amount, found.prorated_budget, found.warnings
        )
    return page(
        request,
        session,
        "budgets.html",
        refusal.status if refusal else 200,
        title="Budgets 总额预算",
        shown=shown,
        schemes=SCHEMES,
        budget=found,
        chart=chart,
        refusal=refusal,
    )


def _budget(request: Request, actor: Actor, shown: dict[str, str]) -> Any:
    """The API's budget read, for the agreement in force in that year (the budget id is
    derived from agreement, year and scheme as the application derives it)."""
    code = parse(InstitutionCode, "institution_code", shown["institution_code"])
    year = parse(Year, "year", shown["year"])
    if code is None or year is None:
        return None
    require_own(actor, code)
    agreement = region(request).agreement_for_claim(code, date(year, 12, 31))
    if agreement is None:
        raise NotFound(f"no agreement of institution {code}")
    wanted = budget_id(agreement.id, year, shown["scheme"])
    return records.budget(wanted, actor, views(request))
