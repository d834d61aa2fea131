"""Query answers (service → client), as the read side's views give them."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import Field

from interfaces.http.schemas.types import MoneyOut, Outbound, RatioOut


class PersonView(Outbound):
    person_id: UUID
    scheme: str
    status: str
    categories: list[str]
    masked_id: str
    region_code: str
    year: int
    outpatient_deductible_used: MoneyOut
    fund_paid_basic: MoneyOut
    fund_paid_major: MoneyOut
    fund_paid: MoneyOut
    account_balance: MoneyOut


class PersonBalance(Outbound):
    person_id: UUID
    year: int
    outpatient_deductible_used: MoneyOut
    fund_paid_basic: MoneyOut
    fund_paid_major: MoneyOut
    fund_paid: MoneyOut
    account_credited: MoneyOut
    account_paid: MoneyOut
    account_balance: MoneyOut


class AgreementSuspension(Outbound):
    effective_from: date
    effective_until: date | None
    voluntary: bool


class BudgetUse(Outbound):
    year: int
    fund_pay: MoneyOut
    ratio: RatioOut | None
    warnings: list[str]


class AgreementView(Outbound):
    agreement_id: UUID
    institution_code: str
    institution_name: str
    level: int
    ownership: str
    region_code: str
    status: str
    term_start: date
    term_end: date
    annual_budget: MoneyOut
    suspensions: list[AgreementSuspension]
    flags: list[str]
    terminated_on: date | None
    termination_ground: str | None
    budget_use: BudgetUse


class FundBalance(Outbound):
    fund_id: UUID
    scheme: str
    layer: str
    region_code: str
    name: str
    as_of: date | None
    balance: MoneyOut
    income: dict[str, MoneyOut]
    outgo: dict[str, MoneyOut]
    income_total: MoneyOut
    outgo_total: MoneyOut
    offsets: dict[str, MoneyOut] = Field(
        default_factory=dict,
        description="recoveries by offset: withheld from what the fund owes, no cash moved",
    )


class SettledFigures(Outbound):
    count: int
    total: MoneyOut
    fund_pay: MoneyOut
    account_pay: MoneyOut
    cash_pay: MoneyOut


class SchemeYear(Outbound):
    settled_count: int
    reversed_count: int
    settled_fund_pay: MoneyOut
    reversed_fund_pay: MoneyOut
    clawed_back: MoneyOut
    fund_pay: MoneyOut


class InstitutionPosition(Outbound):
    """DOMAIN.md §4: amount = obligation − disbursed + repaid − penalties, over all years."""

    obligation: MoneyOut
    disbursed: MoneyOut
    repaid: MoneyOut
    penalties: MoneyOut
    amount: MoneyOut


class InstitutionBalance(Outbound):
    institution_code: str
    year: int
    settled: SettledFigures
    reversed: SettledFigures
    clawed_back: MoneyOut
    penalties: MoneyOut
    disbursed: MoneyOut
    disbursed_by_kind: dict[str, MoneyOut]
    recovered: MoneyOut
    by_scheme: dict[str, SchemeYear]
    owed_by_fund: MoneyOut  # max(0, position), over all years
    owed_to_fund: MoneyOut  # max(0, −position), over all years
    position: InstitutionPosition
    fund_pay: MoneyOut
    budget: MoneyOut | None
    budget_use_ratio: RatioOut | None
    warnings: list[str]


class ReconciliationLine(Outbound):
    scheme: str
    count: int
    total: MoneyOut
    fund_pay: MoneyOut
    account_pay: MoneyOut
    cash_pay: MoneyOut


class Reconciliation(Outbound):
    institution_code: str
    date: date
    items: list[ReconciliationLine]


class ProjectionState(Outbound):
    name: str
    position: int
    head: int
    lag: int
    last_progress_at: datetime | None
    stopped_at: int | None = Field(
        None,
        description="the position of the event a failure stopped it at (the failure itself "
        "is in the server log and `yibao projections status`, never here)",
    )


class ProjectionStatus(Outbound):
    head: int
    items: list[ProjectionState]
