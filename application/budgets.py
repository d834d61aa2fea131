"""The total budget cycle (总额预算管理, DOMAIN.md §4b): issue, adjust, prepay, clear.

Money moves on the basic-layer fund of the budget's scheme in the agreement's region; the
budget's event and the fund's disbursement or receipt are saved in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from application.context import Context
from application.core import RegionCore
from domain.agreement import InstitutionAgreement
from domain.budget import Budget, budget_id
from domain.budget_rules import Clearing
from domain.errors import AlreadyExists, FundNotOpen, ValidationFailed
from domain.fund import FundAccount, fund_id
from domain.money import ZERO
from domain.values import BASIC, SCHEMES, require_period


@dataclass(frozen=True)
class BudgetIssued:
    budget_id: UUID
    position: int


@dataclass(frozen=True)
class Prepaid:
    amount: Decimal
    fund_id: UUID
    position: int


@dataclass(frozen=True)
class ClearingProposed:
    budget: Decimal
    actual: Decimal
    prepaid: Decimal
    fund_pays: Decimal
    clearing_amount: Decimal
    rule: str
    position: int


class FundPayViews(Protocol):
    """The read side's fund pay of an agreement's claims (the port `propose_clearing_as_viewed`
    reads through; `projections.queries.Views` is one)."""

    def agreement_fund_pay_at(
        self, agreement_id: UUID, year: int, scheme: str, position: int, timeout: float
    ) -> Decimal | None:
        """The fund pay of the claims settled under the agreement in the year and scheme, once
        the views have reached `position`; None when they do not within `timeout` seconds."""
        ...


class ViewsBehind(Exception):
    """The views did not reach the log's head in time: nothing was proposed."""

    def __init__(self, position: int) -> None:
        super().__init__(f"the views have not reached position {position}")
        self.position = position


class BudgetCommands(RegionCore):
    def issue_budget(
        self,
        ctx: Context,
        *,
        agreement_id: UUID,
        year: int,
        scheme: str,
        amount: Decimal,
        basis: str,
    ) -> BudgetIssued:
        """Issue an institution's budget for a year and scheme (年初预算); one per key."""

        def decide() -> tuple[list[Any], UUID]:
            agreement = self._get(agreement_id, InstitutionAgreement, "agreement")
            if self._find(budget_id(agreement_id, year, scheme), Budget) is not None:
                raise AlreadyExists(f"the {year} {scheme} budget of {agreement_id} exists")
            others = self._other_budgets(agreement_id, year, scheme)
            budget = Budget.issue(
                agreement, year=year, scheme=scheme, amount=amount, basis=basis, others=others
            )
            return [budget], budget.id

        issued, position = self._commit(ctx, decide)
        return BudgetIssued(issued, position)

    def adjust_budget(self, ctx: Context, budget_id: UUID, *, amount: Decimal, reason: str) -> int:
        """Raise or lower the yearly figure (动态调整); earlier prepayments are not touched."""

        def decide() -> tuple[list[Any], None]:
            budget = self._budget(budget_id)
            agreement = self._get(budget.agreement_id, InstitutionAgreement, "agreement")
            others = self._other_budgets(budget.agreement_id, budget.year, budget.scheme)
            budget.adjust(amount, others, agreement.annual_budget_in(budget.year))
            return [budget], None

        return self._commit_once(
            ctx, "adjust_budget", {"budget": budget_id, "amount": amount}, decide, reason=reason
        )

    def prepay(self, ctx: Context, budget_id: UUID, *, month: str) -> Prepaid:
        """Prepay one month (按月预付) from the basic fund; refused beyond its balance."""
        first_day = date.fromisoformat(require_period(month, "month") + "-01")
        policy = self.policies.for_service_date(first_day)

        def decide() -> tuple[list[Any], tuple[Decimal, UUID]]:
            budget = self._budget(budget_id)
            fund = self._basic_fund(budget)
            amount = budget.prepay(month, policy)
            fund.disburse(budget.agreement_id, month, amount, kind="prepayment")
            return [budget, fund], (amount, fund.id)

        (amount, paid_from), position = self._commit(ctx, decide)
        return Prepaid(amount, paid_from, position)

    def propose_clearing(
        self, ctx: Context, budget_id: UUID, *, actual: Decimal, as_of_position: int
    ) -> ClearingProposed:
        """Propose the year-end clearing from the year's fund pay `actual` as of a position."""
        if as_of_position > self.head():
            raise ValidationFailed("as_of_position", "is beyond the log's head")

        def decide() -> tuple[list[Any], Clearing]:
            budget = self._budget(budget_id)
            policy = self.policies.for_service_date(date(budget.year, 12, 31))
            clearing = budget.propose_clearing(
                actual, as_of_position=as_of_position, policy=policy, today=self.today()
            )
            return [budget], clearing

        c, position = self._commit(ctx, decide)
        return ClearingProposed(
            c.budget, c.actual, c.prepaid, c.fund_pays, c.clearing_amount, c.rule, position
        )

    def propose_clearing_as_viewed(
        self, ctx: Context, budget_id: UUID, views: FundPayViews, timeout: float
    ) -> ClearingProposed:
        """Propose the year-end clearing from the institution's fund pay of the year as the
        views show it once they have caught up with everything recorded so far (§4b's `A`);
        `ViewsBehind` when they do not within `timeout` seconds."""
        budget = self._budget(budget_id)
        head = self.head()
        actual = views.agreement_fund_pay_at(
            budget.agreement_id, budget.year, budget.scheme, head, timeout
        )
        if actual is None:
            raise ViewsBehind(head)
        return self.propose_clearing(ctx, budget_id, actual=actual, as_of_position=head)

    def confirm_clearing(self, ctx: Context, budget_id: UUID, *, reason: str) -> int:
        """Confirm the proposal: pay a positive amount out now, record a negative one as owed."""

        def decide() -> tuple[list[Any], None]:
            budget = self._budget(budget_id)
            amount = budget.confirm_clearing()
            if amount <= ZERO:
                return [budget], None
            fund = self._basic_fund(budget)
            fund.disburse(budget.agreement_id, f"{budget.year}-12", amount, kind="clearing")
            return [budget, fund], None

        return self._commit(ctx, decide, reason=reason)[1]

    def record_clearing_recovery(
        self, ctx: Context, budget_id: UUID, *, amount: Decimal, method: str
    ) -> int:
        """Book money owed back after a clearing into the basic fund (offset or payment)."""

        def decide() -> tuple[list[Any], None]:
            budget = self._budget(budget_id)
            fund = self._basic_fund(budget)
            budget.record_recovery(amount, method)
            fund.receive_clearing_recovery(budget.id, amount, method)
            return [budget, fund], None

        body = {"budget": budget_id, "amount": amount, "method": method}
        return self._commit_once(ctx, "record_clearing_recovery", body, decide)

    def correct_clearing(
        self, ctx: Context, budget_id: UUID, *, fund_pays: Decimal, reason: str
    ) -> int:
        """Correct a confirmed clearing's "fund pays" figure: a new record pointing at it;
        more → netted against what is still owed back, the rest paid out; less → owed back."""

        def decide() -> tuple[list[Any], None]:
            budget = self._budget(budget_id)
            offset, paid = budget.correct_clearing(fund_pays)
            if not (offset or paid):
                return [budget], None
            fund = self._basic_fund(budget)
            if offset:
                fund.receive_clearing_recovery(budget.id, offset, "offset")
            if paid:
                fund.disburse(budget.agreement_id, f"{budget.year}-12", paid, kind="clearing")
            return [budget, fund], None

        body = {"budget": budget_id, "fund_pays": fund_pays}
        return self._commit_once(ctx, "correct_clearing", body, decide, reason=reason)

    # --- loading -------------------------------------------------------------------------

    def _budget(self, budget_id: UUID) -> Budget:
        return self._get(budget_id, Budget, "budget")

    def _other_budgets(self, agreement_id: UUID, year: int, scheme: str) -> list[Decimal]:
        """The amounts of the agreement's budgets of the year for its other schemes."""
        ids = (budget_id(agreement_id, year, s) for s in SCHEMES if s != scheme)
        return [b.amount for b in (self._find(i, Budget) for i in ids) if b is not None]

    def _basic_fund(self, budget: Budget) -> FundAccount:
        fund = self._find(fund_id(budget.scheme, BASIC, budget.region_code), FundAccount)
        if fund is None:
            raise FundNotOpen(f"no {budget.scheme} basic fund in {budget.region_code}")
        return fund
