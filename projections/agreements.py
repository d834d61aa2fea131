"""Read model of institution agreements: term, budget, suspensions, termination.

Rows keep the facts; the status depends on the day asked, so `agreement_status` derives it at
query time. The "suspended twice" flag is the agreement's own event (FlaggedForTermination).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Column, Date, Integer, MetaData, Table, Uuid

from domain import standing
from domain.values import DateWindow
from projections.batch import Batch
from projections.events import Recorded
from projections.projection import Handler, ViewProjection
from projections.sqltypes import Money, Str
from projections.windows import ended_on, window_json, window_of, windows_of


class Agreements(ViewProjection):
    name: ClassVar[str] = "agreements"

    @classmethod
    def define(cls, metadata: MetaData, prefix: str) -> dict[str, Table]:
        return {
            "agreements": Table(
                f"{prefix}_agreements",
                metadata,
                Column("agreement_id", Uuid, primary_key=True),
                Column("institution_code", Str(12), nullable=False, index=True),
                Column("institution_name", Str(200), nullable=False),
                Column("level", Integer, nullable=False),
                Column("ownership", Str(16), nullable=False),
                Column("region_code", Str(6), nullable=False),
                Column("terms", JSON, nullable=False),
                Column("annual_budget", Money, nullable=False),
                Column("suspensions", JSON, nullable=False),
                Column("flags", JSON, nullable=False),
                Column("terminated_on", Date),
                Column("termination_ground", Str(32)),
                Column("position", BigInteger, nullable=False),
            )
        }

    def handlers(self) -> Mapping[str, Handler]:
        return {
            "InstitutionAgreement.Signed": self._signed,
            "InstitutionAgreement.Renewed": self._renewed,
            "InstitutionAgreement.Suspended": self._suspended,
            "InstitutionAgreement.Reinstated": self._reinstated,
            "InstitutionAgreement.FlaggedForTermination": self._flagged,
            "InstitutionAgreement.Terminated": self._terminated,
        }

    def _signed(self, batch: Batch, r: Recorded) -> None:
        e = r.event
        batch.put(
            "agreements",
            {
                "agreement_id": r.originator_id,
                "institution_code": e.institution_code,
                "institution_name": e.institution_name,
                "level": e.level,
                "ownership": e.ownership,
                "region_code": e.region_code,
                "terms": [_term(e.term_start, e.term_end)],
                "annual_budget": e.annual_budget,
                "suspensions": [],
                "flags": [],
                "terminated_on": None,
                "termination_ground": None,
                "position": r.position,
            },
        )

    def _change(self, batch: Batch, r: Recorded, **changes: Any) -> None:
        row = batch.get("agreements", r.originator_id)
        if row is not None:
            batch.put("agreements", {**row, **changes, "position": r.position})

    def _renewed(self, batch: Batch, r: Recorded) -> None:
        row = batch.get("agreements", r.originator_id)
        if row is not None:
            terms = [*row["terms"], _term(r.event.term_start, r.event.term_end)]
            self._change(batch, r, terms=terms, annual_budget=r.event.annual_budget)

    def _suspended(self, batch: Batch, r: Recorded) -> None:
        row = batch.get("agreements", r.originator_id)
        if row is not None:
            ends = getattr(r.event, "ends_agreement_on", None)
            entry = window_json(
                r.event.window,
                voluntary=bool(r.event.voluntary),
                ends_agreement_on=ends.isoformat() if ends else None,
            )
            self._change(batch, r, suspensions=[*row["suspensions"], entry])

    def _reinstated(self, batch: Batch, r: Recorded) -> None:
        row = batch.get("agreements", r.originator_id)
        if row is None:
            return
        day = r.event.effective_from
        # Lifted in time, a voluntary suspension no longer ends the agreement.
        lifted = [
            {**s, "ends_agreement_on": None} if window_of(s).contains(day) else s
            for s in row["suspensions"]
        ]
        self._change(batch, r, suspensions=ended_on(lifted, day))

    def _flagged(self, batch: Batch, r: Recorded) -> None:
        self._change(batch, r, flags=["repeated_suspension"])

    def _terminated(self, batch: Batch, r: Recorded) -> None:
        self._change(
            batch, r, terminated_on=r.event.effective_from, termination_ground=r.event.ground
        )


def _term(start: date, end: date) -> dict[str, Any]:
    return window_json(DateWindow(start, end + timedelta(days=1)))


def latest_term(row: Mapping[str, Any]) -> tuple[date, date]:
    """(first day, last day) of the agreement's current term."""
    window = window_of(row["terms"][-1])
    assert window.until is not None
    return window.start, window.until - timedelta(days=1)


def ends_on(row: Mapping[str, Any]) -> date | None:
    """The first day the agreement is no longer in force, if it is known to end early."""
    pending = [
        date.fromisoformat(s["ends_agreement_on"])
        for s in row["suspensions"]
        if s.get("ends_agreement_on")
    ]
    return standing.agreement_ends_on(row["terminated_on"], pending)


def agreement_status(row: Mapping[str, Any], today: date) -> str:
    """in_force | suspended | terminated | ended | expired | not_yet_in_force, on `today`
    (the aggregate's rule)."""
    return standing.agreement_status_on(
        today,
        windows_of(row["terms"]),
        windows_of(row["suspensions"]),
        row["terminated_on"],
        ends_on(row),
    )
