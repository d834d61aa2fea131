"""Persons, agreements and settlements as the GET endpoints show them."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import Connection

from domain.budget_rules import budget_use
from projections import agreement_ledger, balances, persons, settlements
from projections import agreements as agreement_view
from projections.queries.base import QueryBase, Row

PERSON_YEAR_KEYS = ("outpatient_deductible_used", "fund_paid_basic", "fund_paid_major")
AGREEMENT_KEYS = ("institution_code", "institution_name", "level", "ownership", "region_code")
SETTLEMENT_KEYS = (
    "settlement_id",
    "request_id",
    "institution_code",
    "person_id",
    "status",
    "service_date",
    *settlements.RESULT_MONEY,
    "ratio",
    "policy_version",
    "position",
)


class ReadModelQueries(QueryBase):
    # --- persons -------------------------------------------------------------------------

    def person(self, person_id: UUID, year: int) -> Row | None:
        def query(c: Connection) -> Row | None:
            found = self._one(c, persons.Persons, "persons", person_id=person_id)
            if found is None:
                return None
            year_row = self._one(c, persons.Persons, "years", person_id=person_id, year=year)
            figures = persons.year_figures(year_row)
            return {
                "person_id": person_id,
                "scheme": found["scheme"],
                "status": persons.person_status(found, self._today()),
                "categories": list(found["categories"]),
                "masked_id": found["masked_id"],
                "region_code": found["region_code"],
                "year": year,
                **{k: figures[k] for k in (*PERSON_YEAR_KEYS, "fund_paid")},
                "account_balance": found["account_balance"],
            }

        return self._read(query)

    def person_balance(self, person_id: UUID, year: int) -> Row | None:
        def query(c: Connection) -> Row | None:
            found = self._one(c, persons.Persons, "persons", person_id=person_id)
            if found is None:
                return None
            year_row = self._one(c, persons.Persons, "years", person_id=person_id, year=year)
            figures = persons.year_figures(year_row)
            return {"person_id": person_id, "year": year, **figures} | {
                "account_balance": found["account_balance"]
            }

        return self._read(query)

    # --- agreements and settlements ------------------------------------------------------

    def agreement(self, agreement_id: UUID) -> Row | None:
        def query(c: Connection) -> Row | None:
            found = self._one(c, agreement_view.Agreements, "agreements", agreement_id=agreement_id)
            if found is None:
                return None
            term_start, term_end = agreement_view.latest_term(found)
            year = term_start.year
            policy = self._policy(year)
            years = self._table(c, balances.Balances, "agreement_years")
            fund_pay = agreement_ledger.fund_pay(c, years, agreement_id, year, None)
            use = budget_use(fund_pay, found["annual_budget"], policy)
            return {
                "agreement_id": agreement_id,
                **{k: found[k] for k in AGREEMENT_KEYS},
                "status": agreement_view.agreement_status(found, self._today()),
                "term_start": term_start,
                "term_end": term_end,
                "annual_budget": found["annual_budget"],
                "suspensions": [_suspension(s) for s in found["suspensions"]],
                "flags": list(found["flags"]),
                "terminated_on": found["terminated_on"],
                "termination_ground": found["termination_ground"],
                "budget_use": {
                    "year": year,
                    "fund_pay": fund_pay,
                    "ratio": use.ratio,
                    "warnings": list(use.warnings),
                },
            }

        return self._read(query)

    def settlement(self, settlement_id: UUID) -> Row | None:
        def query(c: Connection) -> Row | None:
            found = self._one(
                c, settlements.Settlements, "settlements", settlement_id=settlement_id
            )
            if found is None:
                return None
            return {k: found[k] for k in SETTLEMENT_KEYS} | {
                "reason_codes": list(found["reason_codes"])
            }

        return self._read(query)


def _suspension(stored: Row) -> Row:
    until = stored["until"]
    return {
        "effective_from": date.fromisoformat(stored["start"]),
        "effective_until": date.fromisoformat(until) if until else None,
        "voluntary": stored["voluntary"],
    }
