"""Read model of insured persons: enrollment, suspensions, yearly accumulators, account.

Only the masked ID is kept; the sealed personal data of the enrollment event is never read,
so no name or national ID reaches a view table.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    Table,
    Uuid,
)

from domain import standing
from domain.money import ZERO
from projections.batch import Batch, Row
from projections.events import Recorded
from projections.projection import Handler, ViewProjection
from projections.sqltypes import Money, Str
from projections.windows import ended_on, window_json, windows_of

YEAR_FIGURES = (
    "outpatient_deductible_used",
    "fund_paid_basic",
    "fund_paid_major",
    "account_credited",
    "account_paid",
)


class Persons(ViewProjection):
    name: ClassVar[str] = "persons"
    cost = 8

    @classmethod
    def define(cls, metadata: MetaData, prefix: str) -> dict[str, Table]:
        return {
            "persons": Table(
                f"{prefix}_persons",
                metadata,
                Column("person_id", Uuid, primary_key=True),
                Column("scheme", Str(16), nullable=False),
                Column("region_code", Str(6), nullable=False),
                Column("masked_id", Str(18), nullable=False),
                Column("categories", JSON, nullable=False),
                Column("enrolled_on", Date, nullable=False),
                Column("terminated_on", Date),
                Column("suspensions", JSON, nullable=False),
                Column("account_balance", Money, nullable=False),
                Column("position", BigInteger, nullable=False),
            ),
            "years": Table(
                f"{prefix}_years",
                metadata,
                Column("person_id", Uuid, primary_key=True),
                Column("year", Integer, primary_key=True, autoincrement=False),
                *(Column(name, Money, nullable=False) for name in YEAR_FIGURES),
            ),
            "claims": Table(
                f"{prefix}_claims",
                metadata,
                Column("settlement_id", Uuid, primary_key=True),
                Column("person_id", Uuid, nullable=False),
                Column("year", Integer, nullable=False),
                Column("deductible_consumed", Money, nullable=False),
                Column("basic_fund_pay", Money, nullable=False),
                Column("major_fund_pay", Money, nullable=False),
                Column("account_pay", Money, nullable=False),
                Column("reversed", Boolean, nullable=False),
            ),
        }

    def handlers(self) -> Mapping[str, Handler]:
        return {
            "InsuredPerson.Enrolled": self._enrolled,
            "InsuredPerson.Suspended": self._suspended,
            "InsuredPerson.Reinstated": self._reinstated,
            "InsuredPerson.Terminated": self._terminated,
            "InsuredPerson.AccountCredited": self._credited,
            "InsuredPerson.ClaimSettled": self._claim_settled,
            "InsuredPerson.ClaimReversed": self._claim_reversed,
        }

    def _enrolled(self, batch: Batch, r: Recorded) -> None:
        e = r.event
        batch.put(
            "persons",
            {
                "person_id": r.originator_id,
                "scheme": e.scheme,
                "region_code": e.region_code,
                "masked_id": e.masked_id,
                "categories": sorted(e.categories),
                "enrolled_on": e.enrolled_on,
                "terminated_on": None,
                "suspensions": [],
                "account_balance": ZERO,
                "position": r.position,
            },
        )

    def _change(self, batch: Batch, r: Recorded, **changes: Any) -> Row | None:
        person = batch.get("persons", r.originator_id)
        if person is None:
            return None
        person.update(changes, position=r.position)
        batch.put("persons", person)
        return person

    def _suspended(self, batch: Batch, r: Recorded) -> None:
        person = batch.get("persons", r.originator_id)
        if person is not None:
            entry = window_json(r.event.window, fraud=bool(r.event.fraud))
            self._change(batch, r, suspensions=[*person["suspensions"], entry])

    def _reinstated(self, batch: Batch, r: Recorded) -> None:
        person = batch.get("persons", r.originator_id)
        if person is not None:
            self._change(
                batch, r, suspensions=ended_on(person["suspensions"], r.event.effective_from)
            )

    def _terminated(self, batch: Batch, r: Recorded) -> None:
        self._change(batch, r, terminated_on=r.event.effective_from)

    def _credited(self, batch: Batch, r: Recorded) -> None:
        amount: Decimal = r.event.amount
        person = batch.get("persons", r.originator_id)
        if person is None:
            return
        self._change(batch, r, account_balance=person["account_balance"] + amount)
        self._add_to_year(batch, r.originator_id, int(r.event.period[:4]), account_credited=amount)

    def _claim_settled(self, batch: Batch, r: Recorded) -> None:
        e = r.event
        year = e.service_date.year
        claim = {
            "settlement_id": e.settlement_id,
            "person_id": r.originator_id,
            "year": year,
            "deductible_consumed": e.deductible_consumed,
            "basic_fund_pay": e.basic_fund_pay,
            "major_fund_pay": e.major_fund_pay,
            "account_pay": e.account_pay,
            "reversed": False,
        }
        batch.put("claims", claim)
        self._apply_claim(batch, r, claim, sign=1)

    def _claim_reversed(self, batch: Batch, r: Recorded) -> None:
        claim = batch.get("claims", r.event.settlement_id)
        if claim is None or claim["reversed"]:
            return
        batch.put("claims", {**claim, "reversed": True})
        self._apply_claim(batch, r, claim, sign=-1)

    def _apply_claim(self, batch: Batch, r: Recorded, claim: Row, sign: int) -> None:
        person = batch.get("persons", r.originator_id)
        if person is not None:
            balance = person["account_balance"] - sign * claim["account_pay"]
            self._change(batch, r, account_balance=balance)
        self._add_to_year(
            batch,
            r.originator_id,
            claim["year"],
            outpatient_deductible_used=sign * claim["deductible_consumed"],
            fund_paid_basic=sign * claim["basic_fund_pay"],
            fund_paid_major=sign * claim["major_fund_pay"],
            account_paid=sign * claim["account_pay"],
        )

    @staticmethod
    def _add_to_year(batch: Batch, person_id: Any, year: int, **amounts: Decimal) -> None:
        row = batch.get("years", person_id, year) or {
            "person_id": person_id,
            "year": year,
            **dict.fromkeys(YEAR_FIGURES, ZERO),
        }
        for name, amount in amounts.items():
            row[name] += amount
        batch.put("years", row)


# --- queries ---------------------------------------------------------------------------


def person_status(row: Row, today: date) -> str:
    """enrolled | suspended | terminated | not_enrolled on `today` (the aggregate's rule)."""
    suspensions = windows_of(row["suspensions"])
    return standing.person_status_on(today, row["enrolled_on"], row["terminated_on"], suspensions)


def year_figures(row: Row | None) -> dict[str, Decimal]:
    """A person's figures for a year (zeros for a year without claims or credits)."""
    figures = {name: row[name] if row else ZERO for name in YEAR_FIGURES}
    return {**figures, "fund_paid": figures["fund_paid_basic"] + figures["fund_paid_major"]}
