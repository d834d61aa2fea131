"""Read model of settlements: the result as adjudicated and what happened to it since."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Column, Date, MetaData, Table, Uuid

from domain.money import ZERO
from projections.batch import Batch
from projections.events import Recorded
from projections.projection import Handler, ViewProjection
from projections.sqltypes import Money, Ratio, Str

RESULT_MONEY = (
    "total",
    "out_of_scope",
    "self_pay_first",
    "eligible",
    "deductible",
    "fund_pay",
    "basic_fund_pay",
    "major_fund_pay",
    "over_cap",
    "account_pay",
    "cash_pay",
)


class Settlements(ViewProjection):
    name: ClassVar[str] = "settlements"
    cost = 7

    @classmethod
    def define(cls, metadata: MetaData, prefix: str) -> dict[str, Table]:
        return {
            "settlements": Table(
                f"{prefix}_settlements",
                metadata,
                Column("settlement_id", Uuid, primary_key=True),
                Column("request_id", Str(128), nullable=False),
                Column("institution_code", Str(12), nullable=False, index=True),
                Column("person_id", Uuid, nullable=False),
                Column("agreement_id", Uuid),
                Column("scheme", Str(16)),
                Column("visit_id", Str(128), nullable=False),
                Column("visit_type", Str(16), nullable=False),
                Column("service_date", Date, nullable=False),
                Column("status", Str(16), nullable=False),
                Column("reason_codes", JSON, nullable=False),
                *(Column(name, Money) for name in RESULT_MONEY),
                Column("ratio", Ratio),
                Column("policy_version", Str(64)),
                Column("clawed_back", Money, nullable=False),
                Column("recorded_on", Date, nullable=False),
                Column("position", BigInteger, nullable=False),
            )
        }

    def handlers(self) -> Mapping[str, Handler]:
        return {
            "Settlement.Settled": self._recorded,
            "Settlement.Rejected": self._recorded,
            "Settlement.Reversed": self._reversed,
            "Settlement.ClawedBack": self._clawed_back,
        }

    def _recorded(self, batch: Batch, r: Recorded) -> None:
        e = r.event
        result = getattr(e, "result", None)
        row: dict[str, Any] = {
            "settlement_id": r.originator_id,
            "request_id": e.request_id,
            "institution_code": e.institution_code,
            "person_id": e.person_id,
            "agreement_id": e.agreement_id,
            "scheme": e.scheme,
            "visit_id": e.visit_id,
            "visit_type": e.visit_type,
            "service_date": e.service_date,
            "status": "settled" if result is not None else "rejected",
            "reason_codes": list(result.reason_codes) if result is not None else [e.code],
            "ratio": result.ratio if result is not None else None,
            "policy_version": result.policy_version if result is not None else None,
            "clawed_back": ZERO,
            "recorded_on": r.recorded_on,
            "position": r.position,
        }
        row |= {name: getattr(result, name) if result else None for name in RESULT_MONEY}
        batch.put("settlements", row)

    def _reversed(self, batch: Batch, r: Recorded) -> None:
        row = batch.get("settlements", r.originator_id)
        if row is not None:
            batch.put("settlements", {**row, "status": "reversed", "position": r.position})

    def _clawed_back(self, batch: Batch, r: Recorded) -> None:
        row = batch.get("settlements", r.originator_id)
        if row is None:
            return
        clawed = row["clawed_back"] + r.event.basic + r.event.major
        status = row["status"] if row["status"] == "reversed" else "clawed_back"
        batch.put(
            "settlements", {**row, "clawed_back": clawed, "status": status, "position": r.position}
        )
