"""The budget-use chart, drawn on the server as SVG geometry for the template: fund pay
against the whole budget and against the prorated budget, over the 80/90/100 % bands."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.money import ratio_of

WIDTH, LEFT, RIGHT = 720, 200, 120
BAR_H, GAP, TOP = 26, 18, 30
BANDS = (Decimal("0.8"), Decimal("0.9"), Decimal("1"))
HEADROOM = Decimal("1.2")  # the scale reaches 120 % of the budget


@dataclass(frozen=True)
class Bar:
    label_key: str
    y: int
    width: float
    value: Decimal
    ratio: Decimal | None
    level: str  # ok / warn / bad: which band the ratio reached; ref: a reference bar


@dataclass(frozen=True)
class Band:
    x: float
    percent: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    plot_width: int
    bars: list[Bar]
    bands: list[Band]


def budget_chart(
    fund_pay: Decimal, budget: Decimal, prorated: Decimal, warnings: list[str]
) -> Chart:
    """Fund pay, the prorated budget and the budget on one scale (to 120 % of the budget);
    the bands mark 80, 90 and 100 % of the budget, and fund pay is coloured by the band it
    reached — as the API's `warnings` say (the policy's thresholds, not a copy here)."""
    plot = WIDTH - LEFT - RIGHT
    scale = max(budget * HEADROOM, fund_pay, prorated, Decimal(1))
    bars = [
        _bar("year_to_date_fund_pay", 0, fund_pay, budget, plot, scale, level_of(warnings)),
        _bar("prorated_budget", 1, prorated, budget, plot, scale, level="ref"),
        _bar("budget", 2, budget, budget, plot, scale, level="ref"),
    ]
    bands = [Band(LEFT + float(budget * b / scale) * plot, int(b * 100)) for b in BANDS]
    height = TOP + len(bars) * (BAR_H + GAP) + 10
    return Chart(WIDTH, height, LEFT, plot, bars, bands)


def _bar(
    key: str,
    row: int,
    value: Decimal,
    whole: Decimal,
    plot: int,
    scale: Decimal,
    level: str,
) -> Bar:
    """A bar of `value` on the scale, with its ratio to `whole`."""
    ratio = ratio_of(value, whole) if whole else None  # the one ratio rule (half up)
    return Bar(
        label_key=key,
        y=TOP + row * (BAR_H + GAP),
        width=float(min(value, scale) / scale) * plot,
        value=value,
        ratio=ratio,
        level=level,
    )


def level_of(warnings: list[str]) -> str:
    """`bad` once the 100 % warning is raised, `warn` for any other, else `ok`."""
    if not warnings:
        return "ok"
    return "bad" if f"{int(BANDS[-1] * 100)}%" in warnings else "warn"
