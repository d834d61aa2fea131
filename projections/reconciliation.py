"""对总账: per institution, recorded day (Asia/Shanghai) and scheme — settlements minus
reversals recorded that day. Rejected claims count nowhere; a reversal counts negative on
the day it is recorded, whatever the day of the settlement it reverses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy import Column, Date, Integer, MetaData, Table, Uuid

from domain.money import ZERO
from projections.batch import Batch
from projections.events import Recorded
from projections.projection import Handler, ViewProjection
from projections.sqltypes import Money, Str

FIGURES = ("total", "fund_pay", "account_pay", "cash_pay")
NO_SCHEME = "none"


class Reconciliation(ViewProjection):
    name: ClassVar[str] = "reconciliation"
    cost = 5

    @classmethod
    def define(cls, metadata: MetaData, prefix: str) -> dict[str, Table]:
        return {
            "days": Table(
                f"{prefix}_days",
                metadata,
                Column("institution_code", Str(12), primary_key=True),
                Column("day", Date, primary_key=True),
                Column("scheme", Str(16), primary_key=True),
                Column("count", Integer, nullable=False),
                *(Column(f, Money, nullable=False) for f in FIGURES),
            ),
            "settlements": Table(
                f"{prefix}_settlements",
                metadata,
                Column("settlement_id", Uuid, primary_key=True),
                Column("institution_code", Str(12), nullable=False),
                Column("scheme", Str(16), nullable=False),
                *(Column(f, Money, nullable=False) for f in FIGURES),
            ),
        }

    def handlers(self) -> Mapping[str, Handler]:
        return {"Settlement.Settled": self._settled, "Settlement.Reversed": self._reversed}

    def _settled(self, batch: Batch, r: Recorded) -> None:
        e = r.event
        entry = {
            "settlement_id": r.originator_id,
            "institution_code": e.institution_code,
            "scheme": e.scheme or NO_SCHEME,
            **{f: getattr(e.result, f) for f in FIGURES},
        }
        batch.put("settlements", entry)
        self._count(batch, r, entry, sign=1)

    def _reversed(self, batch: Batch, r: Recorded) -> None:
        entry = batch.get("settlements", r.originator_id)
        if entry is not None:
            self._count(batch, r, entry, sign=-1)

    @staticmethod
    def _count(batch: Batch, r: Recorded, entry: Mapping[str, Any], sign: int) -> None:
        key = (entry["institution_code"], r.recorded_on, entry["scheme"])
        row = batch.get("days", *key) or {
            **dict(zip(("institution_code", "day", "scheme"), key, strict=True)),
            "count": 0,
            **dict.fromkeys(FIGURES, ZERO),
        }
        row["count"] += sign
        for f in FIGURES:
            row[f] += sign * entry[f]
        batch.put("days", row)
