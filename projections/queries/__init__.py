"""The read side as the interfaces use it: typed rows (frozen dataclasses) or, in the modules
not converted yet (trails, catalogue, packages), dicts — both keyed by
API.md's field names.

Each query reads the live generation of its projection (looked up in the registry in the
same connection), so a blue/green switch is invisible to callers. Money is `Decimal`;
status and budget warnings depend on the day asked and on the policy, so they are derived
from the stored facts at query time.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from projections.queries.budgets import BudgetQueries
from projections.queries.ledgers import LedgerQueries
from projections.queries.packages import PackageQueries
from projections.queries.read_models import ReadModelQueries
from projections.queries.tokens import TokenQueries
from projections.queries.trails import TrailQueries


class Views(
    ReadModelQueries, LedgerQueries, BudgetQueries, TokenQueries, TrailQueries, PackageQueries
):
    """`container.views`: every query of the read side."""

    def agreement_fund_pay_at(
        self, agreement_id: UUID, year: int, scheme: str, position: int, timeout: float
    ) -> Decimal | None:
        """§4b's `A` as of `position`: the agreement's fund pay once the balances view (only
        it: a stopped catalogue must not hold a clearing up) has reached `position`; None
        when it does not within `timeout` seconds (`application.budgets.FundPayViews`)."""
        if not self.wait_for(position, timeout, ["balances"]):
            return None
        return self.agreement_fund_pay(agreement_id, year, scheme)


__all__ = ["Views"]
