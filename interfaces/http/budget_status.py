"""A budget as the agency follows it during the year (过程监控): its record, plus the fund pay
of the claims settled under its agreement (from the views), against the whole budget and
against the budget prorated to the month — each with its warnings (DOMAIN.md §4b step 3).
The ratios and warnings are `domain.budget_rules.budget_use`, as in every other view.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.budget_rules import budget_use, months_elapsed, prorated_budget
from domain.policy import Policy


def budget_status(
    budget: dict[str, Any], fund_pay: Decimal, policy: Policy, today: date
) -> dict[str, Any]:
    amount: Decimal = budget["amount"]
    prorated = prorated_budget(amount, months_elapsed(budget["year"], today))
    whole = budget_use(fund_pay, amount, policy)
    so_far = budget_use(fund_pay, prorated, policy)
    return {
        **budget,
        "year_to_date_fund_pay": fund_pay,
        "prorated_budget": prorated,
        "use_ratio": whole.ratio if whole.ratio is not None else Decimal(0),
        "prorated_use_ratio": so_far.ratio,
        "warnings": list(whole.warnings),
        "prorated_warnings": list(so_far.warnings),
    }
