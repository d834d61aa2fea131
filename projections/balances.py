"""Balances: fund accounts by day and kind (`fund_ledger`), institutions by year and scheme
(`institution_ledger`); persons' yearly figures are in `persons`.

One projection, so that funds and institutions move together in one transaction per batch.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Column, Integer, MetaData, Table, Uuid

from domain.money import ZERO
from projections import agreement_ledger, fund_ledger
from projections import institution_ledger as ledger
from projections.batch import Batch
from projections.events import Recorded
from projections.projection import Handler, ViewProjection
from projections.sqltypes import Money, Str


class Balances(ViewProjection):
    name: ClassVar[str] = "balances"
    cost = 18

    @classmethod
    def define(cls, metadata: MetaData, prefix: str) -> dict[str, Table]:
        def lookup(short: str, key: str, *columns: Column[Any]) -> Table:
            return Table(
                f"{prefix}_{short}", metadata, Column(key, Uuid, primary_key=True), *columns
            )

        code, year = Str(12), Integer
        return {
            **fund_ledger.fund_tables(metadata, prefix),
            **ledger.institution_tables(metadata, prefix),
            **agreement_ledger.agreement_tables(metadata, prefix),
            "settlements": lookup(
                "settlements",
                "settlement_id",
                Column("institution_code", code, nullable=False),
                Column("agreement_id", Uuid),
                Column("year", year, nullable=False),
                Column("scheme", Str(16)),
                *(Column(f, Money, nullable=False) for f in ledger.SETTLEMENT_FIGURES),
            ),
            "agreements": lookup(
                "agreements", "agreement_id", Column("institution_code", code, nullable=False)
            ),
            # Clawbacks and budgets: whose debt it is, counted in which year.
            "debts": lookup(
                "debts",
                "debt_id",
                Column("institution_code", code, nullable=False),
                Column("year", year, nullable=False),
            ),
        }

    def handlers(self) -> Mapping[str, Handler]:
        return {
            "FundAccount.Opened": fund_ledger.opened,
            "FundAccount.ContributionReceived": fund_ledger.income("contribution"),
            "FundAccount.RecoveryReceived": fund_ledger.recovery("recovery", "offset"),
            "FundAccount.ClearingRecoveryReceived": fund_ledger.recovery(
                "clearing_recovery", "clearing_offset"
            ),
            "FundAccount.Disbursed": self._disbursed,
            "InstitutionAgreement.Signed": self._signed,
            "InstitutionAgreement.Renewed": self._renewed,
            "Settlement.Settled": self._settled,
            "Settlement.Reversed": self._reversed,
            "Settlement.ClawedBack": self._clawed_back,
            "Clawback.Assessed": self._assessed,
            "Clawback.RecoveryRecorded": self._recovered,
            "Budget.Issued": self._budget_issued,
            "Budget.ClearingProposed": agreement_ledger.clearing_proposed,
            "Budget.ClearingConfirmed": agreement_ledger.clearing_confirmed,
            "Budget.ClearingCorrected": agreement_ledger.clearing_corrected,
            "Budget.OwedBack": self._owed_back,
            "Budget.RecoveryRecorded": self._recovered,
        }

    def _disbursed(self, batch: Batch, r: Recorded) -> None:
        e = r.event
        kind = fund_ledger.outgo_kind(e)
        fund_ledger.add_day(batch, r, kind, e.amount)
        agreement = batch.get("agreements", e.agreement_id)
        if agreement is not None:
            amounts = {f"disbursed_{kind}": e.amount}
            ledger.add(batch, agreement["institution_code"], int(e.period[:4]), **amounts)

    def _signed(self, batch: Batch, r: Recorded) -> None:
        code = r.event.institution_code
        batch.put("agreements", {"agreement_id": r.originator_id, "institution_code": code})
        _budget(batch, code, r.event.term_start, r.event.term_end, r.event.annual_budget)

    def _renewed(self, batch: Batch, r: Recorded) -> None:
        agreement = batch.get("agreements", r.originator_id)
        if agreement is not None:
            e = r.event
            _budget(batch, agreement["institution_code"], e.term_start, e.term_end, e.annual_budget)

    def _settled(self, batch: Batch, r: Recorded) -> None:
        e = r.event
        figures = {f: getattr(e.result, f) for f in ledger.SETTLEMENT_FIGURES}
        year = e.service_date.year
        key = {"settlement_id": r.originator_id, "institution_code": e.institution_code}
        where = {"agreement_id": e.agreement_id, "year": year, "scheme": e.scheme}
        batch.put("settlements", key | where | figures)
        settled = {f"settled_{name}": value for name, value in figures.items()}
        ledger.add(batch, e.institution_code, year, e.scheme, settled_count=1, **settled)
        agreement_ledger.add(
            batch,
            e.agreement_id,
            year,
            e.scheme,
            e.institution_code,
            settled_fund_pay=e.result.fund_pay,
        )

    def _reversed(self, batch: Batch, r: Recorded) -> None:
        s = batch.get("settlements", r.originator_id)
        if s is not None:
            reversed_ = {f"reversed_{f}": s[f] for f in ledger.SETTLEMENT_FIGURES}
            code, year, scheme = s["institution_code"], s["year"], s["scheme"]
            ledger.add(batch, code, year, scheme, reversed_count=1, **reversed_)
            agreement_ledger.add(
                batch, s["agreement_id"], year, scheme, code, reversed_fund_pay=s["fund_pay"]
            )

    def _clawed_back(self, batch: Batch, r: Recorded) -> None:
        s = batch.get("settlements", r.originator_id)
        if s is not None:
            amount = r.event.basic + r.event.major
            code, year, scheme = s["institution_code"], s["year"], s["scheme"]
            ledger.add(batch, code, year, scheme, clawed_back=amount)
            agreement_ledger.add(batch, s["agreement_id"], year, scheme, code, clawed_back=amount)

    def _assessed(self, batch: Batch, r: Recorded) -> None:
        code, year = r.event.institution_code, r.recorded_on.year
        batch.put("debts", {"debt_id": r.originator_id, "institution_code": code, "year": year})
        ledger.add(batch, code, year, penalties=r.event.penalty)

    def _budget_issued(self, batch: Batch, r: Recorded) -> None:
        e = r.event
        row = {"debt_id": r.originator_id, "institution_code": e.institution_code, "year": e.year}
        batch.put("debts", row)
        agreement_ledger.budget_issued(batch, r)

    def _owed_back(self, batch: Batch, r: Recorded) -> None:
        debt = batch.get("debts", r.originator_id)
        if debt is not None:
            ledger.add(batch, debt["institution_code"], debt["year"], owed_back=r.event.amount)

    def _recovered(self, batch: Batch, r: Recorded) -> None:
        debt = batch.get("debts", r.originator_id)
        if debt is None:
            return
        amount: Decimal = r.event.amount
        offset = amount if r.event.method == "offset" else ZERO
        code, year = debt["institution_code"], debt["year"]
        ledger.add(batch, code, year, recovered=amount, recovered_by_offset=offset)


def _budget(batch: Batch, code: str, start: date, end: date, budget: Decimal) -> None:
    """The agreement's annual budget is the budget of every year its term touches."""
    for year in range(start.year, end.year + 1):
        ledger.set_budget(batch, code, year, budget)
