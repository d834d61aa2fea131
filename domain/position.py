"""An institution's position with the fund (DOMAIN.md §4): one rule, each amount once.

    position = obligation − disbursed + repaid − penalties

`obligation` is the fund pay of its settled claims net of reversals and clawbacks, except
that a (year, scheme) — per agreement — whose clearing is confirmed counts the clearing's
"fund pays" figure instead; `disbursed` is every disbursement to it (settlement, prepayment,
clearing); `repaid` the cash it paid back (recoveries by payment); `penalties` the penalties
assessed on it. An offset moves nothing here: the smaller disbursement it leads to does.
Positive: owed by the fund; negative: owed to the fund. Neither `owed_…` figure is negative.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from domain.money import ZERO


@dataclass(frozen=True)
class Cleared:
    """A confirmed clearing: its "fund pays" figure replaces the fund pay it cleared."""

    fund_pays: Decimal
    fund_pay: Decimal  # the net fund pay of the agreement, year and scheme it clears


def obligation(net_fund_pay: Decimal, clearings: Iterable[Cleared]) -> Decimal:
    """The fund pay owed for claims, each confirmed clearing replacing what it cleared."""
    return net_fund_pay + sum((c.fund_pays - c.fund_pay for c in clearings), ZERO)


@dataclass(frozen=True)
class Position:
    obligation: Decimal
    disbursed: Decimal
    repaid: Decimal
    penalties: Decimal

    @property
    def amount(self) -> Decimal:
        return self.obligation - self.disbursed + self.repaid - self.penalties

    @property
    def owed_by_fund(self) -> Decimal:
        return max(ZERO, self.amount)

    @property
    def owed_to_fund(self) -> Decimal:
        return max(ZERO, -self.amount)
