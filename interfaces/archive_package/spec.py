"""What a retention package is asked to hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from domain.retention import classify


class PackageError(Exception):
    """The package cannot be made as asked (an empty window, a trail not caught up)."""


@dataclass(frozen=True)
class PackageSpec:
    since: date
    until: date
    record_class: str | None = None
    aggregate_ids: frozenset[UUID] = field(default_factory=frozenset)

    def wants(self, aggregate_id: UUID, topic: str) -> bool:
        if self.aggregate_ids and aggregate_id not in self.aggregate_ids:
            return False
        event_type = topic.rpartition(":")[2]
        return self.record_class is None or classify(event_type)[0].name == self.record_class
