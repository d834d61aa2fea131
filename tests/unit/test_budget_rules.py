"""DOMAIN.md §4b: monthly prepayment, budget warnings and the worked year-end clearings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from application.policy_files import load_policy_book
from domain.budget_rules import (
    budget_use,
    budget_use_warnings,
    clear_year,
    monthly_prepayment,
    prorated_budget,
)

POLICY = load_policy_book().version("demo-2026")
BUDGET = Decimal("1200000.00")
TWELVE_MONTHS = Decimal("1080000.00")


def test_prepayment_rounds_half_up_to_the_fen() -> None:
    assert monthly_prepayment(Decimal("4999.80"), POLICY) == Decimal("374.99")


def test_a_budget_of_1_2_million_prepays_90_000_a_month() -> None:
    assert monthly_prepayment(BUDGET, POLICY) == Decimal("90000.00")
    assert monthly_prepayment(BUDGET, POLICY) * 12 == TWELVE_MONTHS


def test_surplus_keeps_half_of_it_as_an_incentive() -> None:
    clearing = clear_year(BUDGET, Decimal("1000000.00"), TWELVE_MONTHS, POLICY)

    assert clearing.rule == "surplus"
    assert clearing.surplus_incentive == Decimal("100000.00")
    assert clearing.fund_pays == Decimal("1100000.00")
    assert clearing.clearing_amount == Decimal("20000.00")


def test_reasonable_overrun_is_shared_half_and_half() -> None:
    clearing = clear_year(BUDGET, Decimal("1260000.00"), TWELVE_MONTHS, POLICY)

    assert clearing.rule == "reasonable_overrun"
    assert clearing.fund_pays == Decimal("1230000.00")
    assert clearing.clearing_amount == Decimal("150000.00")


def test_overrun_beyond_the_band_is_the_institutions() -> None:
    clearing = clear_year(BUDGET, Decimal("1500000.00"), TWELVE_MONTHS, POLICY)

    assert clearing.rule == "excess_overrun"
    assert clearing.fund_pays == Decimal("1260000.00")
    assert clearing.institution_bears == Decimal("240000.00")
    assert clearing.clearing_amount == Decimal("180000.00")


def test_surplus_incentive_is_capped_at_a_tenth_of_the_budget_with_11_months_prepaid() -> None:
    clearing = clear_year(BUDGET, Decimal("950000.00"), Decimal("990000.00"), POLICY)

    assert clearing.surplus_incentive == Decimal("120000.00")
    assert clearing.fund_pays == Decimal("1070000.00")
    assert clearing.clearing_amount == Decimal("80000.00")


def test_a_large_surplus_leaves_money_owed_back_to_the_fund() -> None:
    clearing = clear_year(BUDGET, Decimal("600000.00"), TWELVE_MONTHS, POLICY)

    assert clearing.surplus_incentive == Decimal("120000.00")
    assert clearing.fund_pays == Decimal("720000.00")
    assert clearing.clearing_amount == Decimal("-360000.00")


def test_overrun_exactly_at_the_band_is_still_reasonable() -> None:
    clearing = clear_year(BUDGET, Decimal("1320000.00"), TWELVE_MONTHS, POLICY)

    assert clearing.rule == "reasonable_overrun"
    assert clearing.fund_pays == Decimal("1260000.00")


@pytest.mark.parametrize(
    ("fund_pay", "reached"),
    [
        ("959999.99", ()),
        ("960000.00", ("0.80",)),
        ("1080000.00", ("0.80", "0.90")),
        ("1300000.00", ("0.80", "0.90", "1.00")),
    ],
)
def test_budget_warnings_fire_at_80_90_and_100_percent(
    fund_pay: str, reached: tuple[str, ...]
) -> None:
    warnings = budget_use_warnings(Decimal(fund_pay), BUDGET, POLICY)

    assert warnings == tuple(Decimal(threshold) for threshold in reached)


def test_year_to_date_budget_is_prorated_by_month() -> None:
    assert prorated_budget(BUDGET, 3) == Decimal("300000.00")
    assert prorated_budget(Decimal("1000.00"), 12) == Decimal("1000.00")


def test_negative_clearing_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        clear_year(BUDGET, Decimal("-1.00"), TWELVE_MONTHS, POLICY)


def test_a_budget_use_ratio_rounds_half_up_like_every_other_figure() -> None:
    tie = budget_use(Decimal("2469.00"), Decimal("20000.00"), POLICY)  # exactly 0.12345
    full = budget_use(Decimal("900.00"), Decimal("1000.00"), POLICY)

    assert tie.ratio == Decimal("0.1235") and tie.warnings == ()
    assert (full.ratio, full.warnings) == (Decimal("0.9000"), ("80%", "90%"))
    assert budget_use(Decimal("1.00"), None, POLICY).ratio is None
