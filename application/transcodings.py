"""How the domain's value objects are written into stored events (JSON, one canonical form)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.archive_records import RecordScope
from domain.audit import Audit
from domain.budget_rules import Clearing
from domain.clawback import FundShare
from domain.person import ClaimEntry, YearToDate
from domain.settlement_rules import ClaimItem, SettlementResult
from domain.values import DateWindow


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class DataclassAsDict(Transcoding):
    """A frozen dataclass as a dict of its fields; lists come back as tuples where the
    dataclass declares them so (JSON has no tuples)."""

    def __init__(self, cls: type[Any], name: str) -> None:
        self.type = cls
        self.name = name
        self._tuple_fields = {
            f.name for f in dataclasses.fields(cls) if str(f.type).startswith("tuple")
        }

    def encode(self, obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        fields = {k: tuple(v) if k in self._tuple_fields else v for k, v in data.items()}
        return self.type(**fields)


VALUE_OBJECTS: dict[str, type[Any]] = {
    "audit": Audit,
    "date_window": DateWindow,
    "year_to_date": YearToDate,
    "claim_entry": ClaimEntry,
    "claim_item": ClaimItem,
    "settlement_result": SettlementResult,
    "fund_share": FundShare,
    "clearing": Clearing,
    "record_scope": RecordScope,
}


def register_value_objects(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    for name, cls in VALUE_OBJECTS.items():
        transcoder.register(DataclassAsDict(cls, name))
