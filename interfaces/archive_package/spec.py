"""What a retention package is asked to hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
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

    def wants_topic(self, topic: str) -> bool:
        """Whether events of this topic belong in the package (its record class)."""
        return self.record_class is None or _record_class(topic) == self.record_class


@cache
def _record_class(topic: str) -> str:
    return classify(topic.rpartition(":")[2])[0].name
