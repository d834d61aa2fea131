"""Holds (封存) as the catalogue shows them, and whose records each aggregate's are.

A hold's scope is kept as placed (aggregate ids, or a record query); whether a record is
held is decided when the catalogue is read (`projections/queries/catalogue.py`), so a hold
covers the records formed after it, and a release uncovers them, without rewriting rows.
Whose records an aggregate's are (a person, an institution) comes from its first event,
through the same `domain.archive_records.owner_of` the disposal checks use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from sqlalchemy import BigInteger, Boolean, Column, Date, MetaData, Table, Text, Uuid

from domain.archive_records import OWNER_EVENTS, owner_of
from projections.batch import Batch
from projections.events import Recorded
from projections.projection import Handler, ViewProjection
from projections.sqltypes import Str


class ArchiveHolds(ViewProjection):
    name: ClassVar[str] = "archive_holds"
    cost = 3

    @classmethod
    def define(cls, metadata: MetaData, prefix: str) -> dict[str, Table]:
        return {
            "holds": Table(
                f"{prefix}_holds",
                metadata,
                Column("hold_id", Uuid, primary_key=True),
                Column("active", Boolean, nullable=False),
                Column("by_aggregates", Boolean, nullable=False),
                Column("record_class", Str(32)),
                Column("since", Date),
                Column("until", Date),
                Column("institution_code", Str(64)),
                Column("person_id", Uuid),
                Column("legal_basis", Text, nullable=False),
                Column("reason", Text, nullable=False),
                Column("placed_by", Str(200), nullable=False),
                Column("position", BigInteger, nullable=False),
            ),
            "hold_aggregates": Table(
                f"{prefix}_hold_aggregates",
                metadata,
                Column("hold_id", Uuid, primary_key=True),
                Column("aggregate_id", Uuid, primary_key=True),
            ),
            "owners": Table(
                f"{prefix}_owners",
                metadata,
                Column("aggregate_id", Uuid, primary_key=True),
                Column("person_id", Uuid, index=True),
                Column("institution_code", Str(64), index=True),
            ),
        }

    def handlers(self) -> Mapping[str, Handler]:
        owned: dict[str, Handler] = {kind: self._owned for kind in OWNER_EVENTS}
        return owned | {
            "Archive.HoldPlaced": self._placed,
            "Archive.HoldReleased": self._released,
        }

    def _owned(self, batch: Batch, r: Recorded) -> None:
        person, institution = owner_of(r.originator_id, r.event)
        row = {
            "aggregate_id": r.originator_id,
            "person_id": person,
            "institution_code": institution,
        }
        batch.put("owners", row)

    def _placed(self, batch: Batch, r: Recorded) -> None:
        e = r.event
        scope = e.scope
        batch.put(
            "holds",
            {
                "hold_id": e.hold_id,
                "active": True,
                "by_aggregates": not scope.is_query,
                "record_class": scope.record_class,
                "since": scope.since,
                "until": scope.until,
                "institution_code": scope.institution_code,
                "person_id": scope.person_id,
                "legal_basis": e.legal_basis,
                "reason": r.envelope.reason,
                "placed_by": r.envelope.actor_id,
                "position": r.position,
            },
        )
        for aggregate_id in scope.aggregate_ids:
            batch.put("hold_aggregates", {"hold_id": e.hold_id, "aggregate_id": aggregate_id})

    def _released(self, batch: Batch, r: Recorded) -> None:
        hold = batch.get("holds", r.event.hold_id)
        if hold is not None:
            batch.put("holds", {**hold, "active": False})
