"""Persons, agreements and settlements as the GET endpoints show them, as typed rows (frozen
dataclasses, field names as in API.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Connection

from domain.budget_rules import budget_use
from projections import agreement_ledger, balances, persons, settlements
from projections import agreements as agreement_view
from projections.queries.base import QueryBase


@dataclass(frozen=True)
class PersonRow:
    person_id: UUID
    scheme: str
    status: str  # on the day asked: enrolled | suspended | terminated | not_enrolled
    categories: tuple[str, ...]
    masked_id: str
    region_code: str
    year: int
    outpatient_deductible_used: Decimal
    fund_paid_basic: Decimal
    fund_paid_major: Decimal
    fund_paid: Decimal
    account_balance: Decimal


@dataclass(frozen=True)
class PersonBalanceRow:
    person_id: UUID
    year: int
    outpatient_deductible_used: Decimal
    fund_paid_basic: Decimal
    fund_paid_major: Decimal
    fund_paid: Decimal
    account_credited: Decimal
    account_paid: Decimal
    account_balance: Decimal


@dataclass(frozen=True)
class SuspensionRow:
    effective_from: date
    effective_until: date | None
    voluntary: bool


@dataclass(frozen=True)
class BudgetUseRow:
    year: int
    fund_pay: Decimal
    ratio: Decimal | None
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class AgreementRow:
    agreement_id: UUID
    institution_code: str
    institution_name: str
    level: int
    ownership: str
    region_code: str
    status: str  # on the day asked (domain/standing.py)
    term_start: date
    term_end: date
    annual_budget: Decimal
    suspensions: tuple[SuspensionRow, ...]
    flags: tuple[str, ...]
    terminated_on: date | None
    termination_ground: str | None
    budget_use: BudgetUseRow


@dataclass(frozen=True)
class SettlementRow:
    """A settlement's outcome; amounts are None for a rejected claim."""

    settlement_id: UUID
    request_id: str
    institution_code: str
    person_id: UUID
    status: str  # settled | rejected | reversed | clawed_back
    service_date: date
    total: Decimal | None
    out_of_scope: Decimal | None
    self_pay_first: Decimal | None
    eligible: Decimal | None
    deductible: Decimal | None
    fund_pay: Decimal | None
    basic_fund_pay: Decimal | None
    major_fund_pay: Decimal | None
    over_cap: Decimal | None
    account_pay: Decimal | None
    cash_pay: Decimal | None
    ratio: Decimal | None
    policy_version: str | None
    position: int
    reason_codes: tuple[str, ...]


class ReadModelQueries(QueryBase):
    # --- persons -------------------------------------------------------------------------

    def person(self, person_id: UUID, year: int) -> PersonRow | None:
        def query(c: Connection) -> PersonRow | None:
            found = self._one(c, persons.Persons, "persons", person_id=person_id)
            if found is None:
                return None
            year_row = self._one(c, persons.Persons, "years", person_id=person_id, year=year)
            figures = persons.year_figures(year_row)
            return PersonRow(
                person_id=person_id,
                scheme=found["scheme"],
                status=persons.person_status(found, self._today()),
                categories=tuple(found["categories"]),
                masked_id=found["masked_id"],
                region_code=found["region_code"],
                year=year,
                outpatient_deductible_used=figures["outpatient_deductible_used"],
                fund_paid_basic=figures["fund_paid_basic"],
                fund_paid_major=figures["fund_paid_major"],
                fund_paid=figures["fund_paid"],
                account_balance=found["account_balance"],
            )

        return self._read(query)

    def person_balance(self, person_id: UUID, year: int) -> PersonBalanceRow | None:
        def query(c: Connection) -> PersonBalanceRow | None:
            found = self._one(c, persons.Persons, "persons", person_id=person_id)
            if found is None:
                return None
            year_row = self._one(c, persons.Persons, "years", person_id=person_id, year=year)
            figures = persons.year_figures(year_row)
            return PersonBalanceRow(
                person_id=person_id,
                year=year,
                **figures,
                account_balance=found["account_balance"],
            )

        return self._read(query)

    # --- agreements and settlements ------------------------------------------------------

    def agreement(self, agreement_id: UUID) -> AgreementRow | None:
        def query(c: Connection) -> AgreementRow | None:
            found = self._one(c, agreement_view.Agreements, "agreements", agreement_id=agreement_id)
            if found is None:
                return None
            term_start, term_end = agreement_view.latest_term(found)
            year = term_start.year
            policy = self._policy(year)
            years = self._table(c, balances.Balances, "agreement_years")
            fund_pay = agreement_ledger.fund_pay(c, years, agreement_id, year, None)
            use = budget_use(fund_pay, found["annual_budget"], policy)
            return AgreementRow(
                agreement_id=agreement_id,
                institution_code=found["institution_code"],
                institution_name=found["institution_name"],
                level=found["level"],
                ownership=found["ownership"],
                region_code=found["region_code"],
                status=agreement_view.agreement_status(found, self._today()),
                term_start=term_start,
                term_end=term_end,
                annual_budget=found["annual_budget"],
                suspensions=tuple(_suspension(s) for s in found["suspensions"]),
                flags=tuple(found["flags"]),
                terminated_on=found["terminated_on"],
                termination_ground=found["termination_ground"],
                budget_use=BudgetUseRow(year, fund_pay, use.ratio, use.warnings),
            )

        return self._read(query)

    def settlement(self, settlement_id: UUID) -> SettlementRow | None:
        def query(c: Connection) -> SettlementRow | None:
            found = self._one(
                c, settlements.Settlements, "settlements", settlement_id=settlement_id
            )
            if found is None:
                return None
            return SettlementRow(
                settlement_id=found["settlement_id"],
                request_id=found["request_id"],
                institution_code=found["institution_code"],
                person_id=found["person_id"],
                status=found["status"],
                service_date=found["service_date"],
                **{name: found[name] for name in settlements.RESULT_MONEY},
                ratio=found["ratio"],
                policy_version=found["policy_version"],
                position=found["position"],
                reason_codes=tuple(found["reason_codes"]),
            )

        return self._read(query)


def _suspension(stored: dict[str, Any]) -> SuspensionRow:
    until = stored["until"]
    return SuspensionRow(
        effective_from=date.fromisoformat(stored["start"]),
        effective_until=date.fromisoformat(until) if until else None,
        voluntary=stored["voluntary"],
    )
