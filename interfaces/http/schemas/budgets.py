"""A budget as the agency follows it (service → client)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import Field

from interfaces.http.schemas.types import MoneyOut, Outbound, Position, RatioOut


class BudgetFigure(Outbound):
    kind: str
    amount: MoneyOut
    reason: str
    recorded_at: datetime


class MonthPrepaid(Outbound):
    month: str
    amount: MoneyOut


class ClearingCorrectionView(Outbound):
    fund_pays: MoneyOut  # the corrected figure
    corrects: MoneyOut  # the figure it replaced


class ClearingState(Outbound):
    state: str
    budget: MoneyOut | None = None
    actual: MoneyOut | None = None
    prepaid: MoneyOut | None = None
    rule: str | None = None
    surplus_incentive: MoneyOut | None = None
    fund_pays: MoneyOut | None = None
    institution_bears: MoneyOut | None = None
    clearing_amount: MoneyOut | None = None
    as_of_position: Position | None = None
    corrections: list[ClearingCorrectionView] = Field(default_factory=list)
    owed_back: MoneyOut | None = None
    recovered: MoneyOut | None = None
    outstanding: MoneyOut | None = None


class BudgetView(Outbound):
    budget_id: UUID
    agreement_id: UUID
    institution_code: str
    region_code: str
    year: int
    scheme: str
    amount: MoneyOut
    basis: str
    history: list[BudgetFigure]
    prepayments: list[MonthPrepaid]
    prepaid: MoneyOut
    year_to_date_fund_pay: MoneyOut
    prorated_budget: MoneyOut
    use_ratio: RatioOut
    prorated_use_ratio: RatioOut | None
    warnings: list[str]  # against the whole budget
    prorated_warnings: list[str]  # against the budget prorated to the month
    clearing: ClearingState
