"""A budget as the agency follows it during the year (过程监控): its record from the `budgets`
view, plus the fund pay of the claims settled under its agreement (the `balances` view),
against the whole budget and against the budget prorated to the month — each with its
warnings (DOMAIN.md §4b step 3). The arithmetic is `domain.budget_rules`'; only the
composition is here. Rows are typed (frozen dataclasses), field names as in API.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from domain.budget_rules import budget_use, months_elapsed, prorated_budget
from projections import agreement_ledger, balances
from projections.budgets import Budgets
from projections.queries.base import QueryBase


@dataclass(frozen=True)
class BudgetFigure:
    kind: str  # "issued" | "adjusted"
    amount: Decimal
    reason: str  # the basis of an issue, the reason of an adjustment
    recorded_at: datetime


@dataclass(frozen=True)
class MonthPrepaid:
    month: str
    amount: Decimal


@dataclass(frozen=True)
class ClearingCorrection:
    fund_pays: Decimal  # the corrected figure
    corrects: Decimal  # the figure it replaced


@dataclass(frozen=True)
class ClearingState:
    """ "none" (nothing proposed, or the proposal withdrawn), "proposed" or "confirmed"."""

    state: str
    budget: Decimal | None = None
    actual: Decimal | None = None
    prepaid: Decimal | None = None
    rule: str | None = None
    surplus_incentive: Decimal | None = None
    fund_pays: Decimal | None = None
    institution_bears: Decimal | None = None
    clearing_amount: Decimal | None = None
    as_of_position: int | None = None
    corrections: tuple[ClearingCorrection, ...] = ()
    owed_back: Decimal | None = None
    recovered: Decimal | None = None
    outstanding: Decimal | None = None


@dataclass(frozen=True)
class BudgetStatus:
    budget_id: UUID
    agreement_id: UUID
    institution_code: str
    region_code: str
    year: int
    scheme: str
    amount: Decimal
    basis: str
    history: tuple[BudgetFigure, ...]
    prepayments: tuple[MonthPrepaid, ...]
    prepaid: Decimal
    year_to_date_fund_pay: Decimal
    prorated_budget: Decimal
    use_ratio: Decimal
    prorated_use_ratio: Decimal | None
    warnings: tuple[str, ...]  # against the whole budget
    prorated_warnings: tuple[str, ...]  # against the budget prorated to the month
    clearing: ClearingState


class BudgetQueries(QueryBase):
    def budget(self, budget_id: UUID) -> BudgetStatus | None:
        """The budget's record and its use so far (None: no such budget in the view)."""

        def query(c: Connection) -> BudgetStatus | None:
            found = self._one(c, Budgets, "budgets", budget_id=budget_id)
            if found is None:
                return None
            figures = self._of(c, "figures", budget_id, "number")
            months = self._of(c, "prepayments", budget_id, "month")
            corrections = self._of(c, "corrections", budget_id, "correction_no")
            years = self._table(c, balances.Balances, "agreement_years")
            fund_pay = agreement_ledger.fund_pay(
                c, years, found["agreement_id"], found["year"], found["scheme"]
            )
            return self._status(found, figures, months, corrections, fund_pay)

        return self._read(query)

    def _of(self, c: Connection, short: str, budget_id: UUID, order: str) -> list[Any]:
        table = self._table(c, Budgets, short)
        rows = select(table).where(table.c.budget_id == budget_id).order_by(table.c[order])
        return list(c.execute(rows).mappings())

    def _status(
        self,
        b: Any,
        figures: list[Any],
        months: list[Any],
        corrections: list[Any],
        fund_pay: Decimal,
    ) -> BudgetStatus:
        amount: Decimal = b["amount"]
        policy = self._policy(b["year"])
        prorated = prorated_budget(amount, months_elapsed(b["year"], self._today()))
        whole = budget_use(fund_pay, amount, policy)
        so_far = budget_use(fund_pay, prorated, policy)
        return BudgetStatus(
            budget_id=b["budget_id"],
            agreement_id=b["agreement_id"],
            institution_code=b["institution_code"],
            region_code=b["region_code"],
            year=b["year"],
            scheme=b["scheme"],
            amount=amount,
            basis=b["basis"],
            history=tuple(
                BudgetFigure(f["kind"], f["amount"], f["reason"], f["recorded_at"]) for f in figures
            ),
            prepayments=tuple(MonthPrepaid(m["month"], m["amount"]) for m in months),
            prepaid=b["prepaid"],
            year_to_date_fund_pay=fund_pay,
            prorated_budget=prorated,
            use_ratio=whole.ratio if whole.ratio is not None else Decimal(0),
            prorated_use_ratio=so_far.ratio,
            warnings=whole.warnings,
            prorated_warnings=so_far.warnings,
            clearing=clearing_state(b, corrections),
        )


def clearing_state(b: Any, corrections: list[Any]) -> ClearingState:
    if b["rule"] is None or b["fund_pays"] is None:
        return ClearingState("none")
    fund_pays: Decimal = b["fund_pays"]
    owed_back: Decimal = b["owed_back"]
    recovered: Decimal = b["recovered"]
    return ClearingState(
        state="confirmed" if b["confirmed"] else "proposed",
        budget=b["proposed_budget"],
        actual=b["proposed_actual"],
        prepaid=b["proposed_prepaid"],
        rule=b["rule"],
        surplus_incentive=b["surplus_incentive"],
        fund_pays=fund_pays,
        institution_bears=b["institution_bears"],
        clearing_amount=fund_pays - b["proposed_prepaid"],
        as_of_position=b["as_of_position"],
        corrections=tuple(ClearingCorrection(c["fund_pays"], c["corrects"]) for c in corrections),
        owed_back=owed_back,
        recovered=recovered,
        outstanding=owed_back - recovered,
    )
