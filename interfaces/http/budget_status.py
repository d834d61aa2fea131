"""A budget as the agency follows it during the year (过程监控): its record, plus the
institution's year-to-date fund pay from the views, against the whole and the prorated budget.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.budget_rules import budget_use_labels, prorated_budget
from domain.money import share
from domain.policy import Policy
from interfaces.http.year_totals import fund_pay_of


def months_elapsed(year: int, today: date) -> int:
    """Whole or started months of the budget year by today (12 once the year is over)."""
    if today.year < year:
        return 0
    return 12 if today.year > year else today.month


def budget_status(
    budget: dict[str, Any], totals: dict[str, Any], policy: Policy, today: date
) -> dict[str, Any]:
    amount: Decimal = budget["amount"]
    fund_pay = fund_pay_of(totals, budget["scheme"])
    prorated = prorated_budget(amount, months_elapsed(budget["year"], today))
    return {
        **budget,
        "year_to_date_fund_pay": fund_pay,
        "prorated_budget": prorated,
        "use_ratio": _ratio(fund_pay, amount),
        "prorated_use_ratio": _ratio(fund_pay, prorated) if prorated else None,
        "warnings": budget_use_labels(fund_pay, amount, policy),
    }


def _ratio(part: Decimal, whole: Decimal) -> Decimal:
    return share(part, whole) if whole else Decimal(0)
