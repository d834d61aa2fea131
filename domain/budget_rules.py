"""Total budget cycle arithmetic of DOMAIN.md §4b: prepayment, monitoring, year-end clearing.

Pure functions; every figure comes from ``policy.budget``; money is rounded half up to the fen
at each step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.errors import BudgetExceedsAgreement
from domain.money import ZERO, fen, ratio_of
from domain.policy import Policy

SURPLUS = "surplus"
REASONABLE_OVERRUN = "reasonable_overrun"
EXCESS_OVERRUN = "excess_overrun"


@dataclass(frozen=True)
class Clearing:
    """The year-end clearing of one institution and scheme (a proposal until confirmed)."""

    budget: Decimal  # B, the final budget
    actual: Decimal  # A, the year's fund pay net of reversals and clawbacks
    prepaid: Decimal  # P, the prepayments made
    rule: str  # "surplus" | "reasonable_overrun" | "excess_overrun"
    surplus_incentive: Decimal  # 结余留用, only under "surplus"
    fund_pays: Decimal  # what the fund owes for the year in total
    institution_bears: Decimal  # the overrun left to the institution
    clearing_amount: Decimal  # fund_pays − P: > 0 paid out, < 0 owed back to the fund


def monthly_prepayment(budget: Decimal, policy: Policy) -> Decimal:
    """Budget ÷ 12 × prepayment ratio, rounded at each step (4 999.80 → 374.99)."""
    return fen(fen(budget / 12) * policy.budget.prepayment_ratio)


def prorated_budget(budget: Decimal, months: int) -> Decimal:
    """The budget share of the first ``months`` months, for year-to-date monitoring."""
    return fen(budget * months / 12)


def months_elapsed(year: int, today: date) -> int:
    """Whole or started months of the budget year by today (12 once the year is over)."""
    if today.year < year:
        return 0
    return 12 if today.year > year else today.month


@dataclass(frozen=True)
class BudgetUse:
    """Fund pay against a budget (过程监控): the ratio and the warnings reached ("80%")."""

    ratio: Decimal | None  # None when there is no budget to measure against
    warnings: tuple[str, ...]


def budget_use(fund_pay: Decimal, budget: Decimal | None, policy: Policy) -> BudgetUse:
    """The one home of a budget-use ratio and its warnings (every view calls it)."""
    if not budget:
        return BudgetUse(None, ())
    reached = budget_use_warnings(fund_pay, budget, policy)
    return BudgetUse(
        ratio_of(fund_pay, budget), tuple(f"{(t * 100).normalize():f}%" for t in reached)
    )


def require_within_agreement(
    amount: Decimal, others: Iterable[Decimal], annual_budget: Decimal
) -> None:
    """A budget is part of its agreement's annual budget (§4b step 1): the budgets of one
    agreement and year (its other schemes' `others`) may not exceed it together."""
    total = amount + sum(others, ZERO)
    if total > annual_budget:
        raise BudgetExceedsAgreement(
            f"the year's budgets would total {total}, over the agreement's {annual_budget}"
        )


def budget_use_warnings(fund_pay: Decimal, budget: Decimal, policy: Policy) -> tuple[Decimal, ...]:
    """The warning thresholds (e.g. 0.80, 0.90, 1.00) that fund pay has reached."""
    return tuple(
        threshold
        for threshold in policy.budget.warning_thresholds
        if fund_pay > ZERO and fund_pay >= fen(budget * threshold)
    )


def clear_year(budget: Decimal, actual: Decimal, prepaid: Decimal, policy: Policy) -> Clearing:
    """Year-end clearing: surplus incentive, shared reasonable overrun, or capped excess."""
    if min(budget, actual, prepaid) < 0:
        raise ValueError("budget, actual fund pay and prepayments must not be negative")
    rules = policy.budget
    band = fen(budget * rules.overrun_band)
    incentive = ZERO
    if actual <= budget:
        rule = SURPLUS
        incentive = min(
            fen((budget - actual) * rules.surplus_incentive_share), _incentive_cap(budget, policy)
        )
        fund_pays = actual + incentive
    elif actual <= budget + band:
        rule = REASONABLE_OVERRUN
        fund_pays = budget + fen((actual - budget) * rules.overrun_fund_share)
    else:
        rule = EXCESS_OVERRUN
        fund_pays = budget + fen(band * rules.overrun_fund_share)
    return Clearing(
        budget=fen(budget),
        actual=fen(actual),
        prepaid=fen(prepaid),
        rule=rule,
        surplus_incentive=fen(incentive),
        fund_pays=fen(fund_pays),
        institution_bears=fen(max(actual - fund_pays, ZERO)),
        clearing_amount=fen(fund_pays - prepaid),
    )


def _incentive_cap(budget: Decimal, policy: Policy) -> Decimal:
    """The most a surplus incentive can be: a share of the budget (10 % in demo-2026)."""
    return fen(budget * policy.budget.surplus_incentive_cap)
