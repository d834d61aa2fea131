"""The console's pure helpers: the budget chart's geometry and the replay diff."""

from __future__ import annotations

from decimal import Decimal

from application.policy_files import load_policy_book
from domain.budget_rules import budget_use
from interfaces.console.chart import budget_chart
from interfaces.console.diff import side_by_side

DEMO_POLICY = load_policy_book().version("demo-2026")


def test_fund_pay_is_coloured_by_the_warnings_the_api_raised() -> None:
    levels = [
        budget_chart(Decimal("1.00"), Decimal("1000.00"), Decimal("500.00"), raised).bars[0].level
        for raised in ([], ["80%"], ["80%", "90%"], ["80%", "90%", "100%"])
    ]

    assert levels == ["ok", "warn", "warn", "bad"]


def test_the_bands_sit_at_80_90_and_100_percent_of_the_budget_on_one_scale() -> None:
    chart = budget_chart(Decimal("500.00"), Decimal("1000.00"), Decimal("250.00"), [])
    full = next(b for b in chart.bars if b.label_key == "budget")

    xs = {band.percent: band.x - chart.left for band in chart.bands}

    assert xs[100] == full.width
    assert (round(xs[80] / xs[100], 6), round(xs[90] / xs[100], 6)) == (0.8, 0.9)
    assert chart.bars[0].width == full.width / 2


def test_the_chart_shows_the_ratio_the_api_shows_rounded_half_up() -> None:
    """0.00005 of the budget is 0.0001 (half up, as `budget_use_ratio`), not 0.0000."""
    budget = Decimal("20000.00")
    chart = budget_chart(Decimal("1.00"), budget, budget, [])

    assert chart.bars[0].ratio == Decimal("0.0001")
    assert chart.bars[0].ratio == budget_use(Decimal("1.00"), budget, DEMO_POLICY).ratio


def test_a_fund_pay_beyond_the_scale_is_drawn_to_its_end() -> None:
    chart = budget_chart(Decimal("5000.00"), Decimal("1000.00"), Decimal("1000.00"), ["100%"])

    assert chart.bars[0].width == chart.plot_width
    assert chart.bars[0].ratio == Decimal("5")


def test_the_diff_marks_changed_added_and_removed_fields() -> None:
    rows = side_by_side(
        {"status": "active", "years": {}, "gone": 1},
        {"status": "suspended", "years": {"2026": {"used": "300.00"}}},
    )

    changed = {r.field: (r.before, r.after) for r in rows if r.changed}

    assert changed == {
        "status": ('"active"', '"suspended"'),
        "years.2026.used": (None, '"300.00"'),
        "years": ("{}", None),
        "gone": ("1", None),
    }


def test_the_first_version_has_nothing_before_it() -> None:
    rows = side_by_side(None, {"a": [1, 2]})

    assert [(r.field, r.before, r.after) for r in rows] == [
        ("a[0]", None, "1"),
        ("a[1]", None, "2"),
    ]
