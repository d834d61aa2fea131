"""Balances of funds, institutions and persons; the reconciliation (对总账). A fund's balance
and the reconciliation are typed rows (frozen dataclasses, field names as in API.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from sqlalchemy import Connection, select

from domain.budget_rules import budget_use
from projections import agreement_ledger, balances, fund_ledger
from projections import institution_ledger as ledger
from projections.queries.base import QueryBase
from projections.reconciliation import FIGURES, Reconciliation


@dataclass(frozen=True)
class FundBalanceRow:
    fund_id: UUID
    scheme: str
    layer: str
    region_code: str
    name: str
    as_of: dt.date | None  # the end of that day; None: now
    balance: Decimal
    income: Mapping[str, Decimal]  # by kind: contribution, recovery, clearing_recovery
    outgo: Mapping[str, Decimal]  # by kind of disbursement
    income_total: Decimal
    outgo_total: Decimal
    offsets: Mapping[str, Decimal]  # recoveries by offset: no cash moved


@dataclass(frozen=True)
class ReconciliationRow:
    """One scheme's settlements minus reversals recorded on a day at an institution."""

    institution_code: str
    date: dt.date
    scheme: str
    count: int
    total: Decimal
    fund_pay: Decimal
    account_pay: Decimal
    cash_pay: Decimal


@dataclass(frozen=True)
class SettledFiguresRow:
    count: int
    total: Decimal
    fund_pay: Decimal
    account_pay: Decimal
    cash_pay: Decimal


@dataclass(frozen=True)
class SchemeYearRow:
    settled_count: int
    reversed_count: int
    settled_fund_pay: Decimal
    reversed_fund_pay: Decimal
    clawed_back: Decimal
    fund_pay: Decimal  # net of reversals and clawbacks


@dataclass(frozen=True)
class PositionRow:
    """DOMAIN.md §4 over all years (`domain.position.Position`'s terms and amount)."""

    obligation: Decimal
    disbursed: Decimal
    repaid: Decimal
    penalties: Decimal
    amount: Decimal


@dataclass(frozen=True)
class InstitutionBalanceRow:
    institution_code: str
    year: int
    settled: SettledFiguresRow
    reversed: SettledFiguresRow
    clawed_back: Decimal
    penalties: Decimal
    disbursed: Decimal
    disbursed_by_kind: Mapping[str, Decimal]
    recovered: Decimal
    by_scheme: Mapping[str, SchemeYearRow]
    owed_by_fund: Decimal
    owed_to_fund: Decimal
    position: PositionRow
    fund_pay: Decimal
    budget: Decimal | None
    budget_use_ratio: Decimal | None
    warnings: tuple[str, ...]


class LedgerQueries(QueryBase):
    # --- balances and reconciliation ------------------------------------------------------

    def fund_balance(self, fund_id: UUID, as_of: date | None) -> FundBalanceRow | None:
        def query(c: Connection) -> FundBalanceRow | None:
            fund = self._one(c, balances.Balances, "funds", fund_id=fund_id)
            if fund is None:
                return None
            days = self._table(c, balances.Balances, "fund_days")
            rows = select(days).where(days.c.fund_id == fund_id)
            if as_of is not None:
                rows = rows.where(days.c.day <= as_of)
            figures = fund_ledger.fund_figures(fund, [dict(r) for r in c.execute(rows).mappings()])
            return FundBalanceRow(**figures, as_of=as_of)

        return self._read(query)

    def institution_balance(self, institution_code: str, year: int) -> InstitutionBalanceRow:
        def query(c: Connection) -> InstitutionBalanceRow:
            years = self._table(c, balances.Balances, "institution_years")
            by_code = years.c.institution_code == institution_code
            rows = [dict(r) for r in c.execute(select(years).where(by_code)).mappings()]
            this = next((r for r in rows if r["year"] == year), None)
            this = this or ledger.empty_year(institution_code, year)
            schemes = self._table(c, balances.Balances, "scheme_years")
            per_scheme = c.execute(
                select(schemes)
                .where((schemes.c.institution_code == institution_code) & (schemes.c.year == year))
                .order_by(schemes.c.scheme)
            ).mappings()
            years_of = self._table(c, balances.Balances, "agreement_years")
            agreement_years = agreement_ledger.of_institution(c, years_of, institution_code)
            held = ledger.position(rows, agreement_ledger.cleared(agreement_years))
            fund_pay = ledger.net_fund_pay(this)
            use = budget_use(fund_pay, this["budget"], self._policy(year))
            summary = ledger.year_summary(this, [dict(s) for s in per_scheme])
            return InstitutionBalanceRow(
                institution_code=summary["institution_code"],
                year=summary["year"],
                settled=SettledFiguresRow(**summary["settled"]),
                reversed=SettledFiguresRow(**summary["reversed"]),
                clawed_back=summary["clawed_back"],
                penalties=summary["penalties"],
                disbursed=summary["disbursed"],
                disbursed_by_kind=summary["disbursed_by_kind"],
                recovered=summary["recovered"],
                by_scheme={k: SchemeYearRow(**v) for k, v in summary["by_scheme"].items()},
                owed_by_fund=held.owed_by_fund,
                owed_to_fund=held.owed_to_fund,
                position=PositionRow(
                    held.obligation, held.disbursed, held.repaid, held.penalties, held.amount
                ),
                fund_pay=fund_pay,
                budget=this["budget"],
                budget_use_ratio=use.ratio,
                warnings=use.warnings,
            )

        return self._read(query)

    def agreement_fund_pay(
        self, agreement_id: UUID, year: int, scheme: str | None = None
    ) -> Decimal:
        """The fund pay of the claims settled under the agreement in the year (§4b's `A`)."""

        def query(c: Connection) -> Decimal:
            table = self._table(c, balances.Balances, "agreement_years")
            return agreement_ledger.fund_pay(c, table, agreement_id, year, scheme)

        return self._read(query)

    def reconciliation(self, institution_code: str, day: date) -> list[ReconciliationRow]:
        def query(c: Connection) -> list[ReconciliationRow]:
            days = self._table(c, Reconciliation, "days")
            rows = c.execute(
                select(days)
                .where((days.c.institution_code == institution_code) & (days.c.day == day))
                .order_by(days.c.scheme)
            ).mappings()
            return [
                ReconciliationRow(
                    institution_code=institution_code,
                    date=day,
                    scheme=r["scheme"],
                    count=r["count"],
                    **{f: r[f] for f in FIGURES},
                )
                for r in rows
            ]

        return self._read(query)
