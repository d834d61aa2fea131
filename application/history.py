"""Replay any aggregate as of a version or an instant (auditors: DOMAIN.md §7).

The state is rebuilt from the aggregate's own events, never read from a view. It comes back
as plain values (ids and dates as strings, money as `Decimal`), and personal data stays
sealed: a replay shows that a person's data exists, not what it is — reading it is a
lookup, which is itself recorded.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, DomainEvent

from application.forgetting import Forgetting
from domain.errors import NotFound, ValidationFailed
from domain.personal_data import PersonalData


class HistoryQueries(Forgetting):
    def aggregate_as_of(
        self, aggregate_id: UUID, *, version: int | None = None, at: datetime | None = None
    ) -> dict[str, Any]:
        """The aggregate's state after `version`, or after its last event recorded at or
        before `at`; the current state when neither is given."""
        if version is not None and at is not None:
            raise ValidationFailed("as_of", "give a version or an instant, not both")
        if version is not None and version < 1:
            raise ValidationFailed("version", "versions start at 1")
        if at is not None:
            version = self._version_at(aggregate_id, at)
        self.forget_disposed()  # a replay decrypts: never with a key disposed elsewhere
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(f"no aggregate {aggregate_id}") from None
        if version is not None and aggregate.version < version:
            raise NotFound(f"aggregate {aggregate_id} has no version {version}")
        return {
            "aggregate_id": str(aggregate.id),
            "aggregate_type": type(aggregate).__name__,
            "version": aggregate.version,
            "created_on": aggregate.created_on.isoformat(),
            "modified_on": aggregate.modified_on.isoformat(),
            "state": {
                name: plain(value)
                for name, value in vars(aggregate).items()
                if not name.startswith("_")
            },
        }

    def _version_at(self, aggregate_id: UUID, at: datetime) -> int:
        if at.tzinfo is None:
            raise ValidationFailed("as_of", "an instant needs its offset")
        version = None
        for stored in self.repository.event_store.get(aggregate_id):
            domain_event = cast(DomainEvent, stored)
            if domain_event.timestamp > at:
                break
            version = domain_event.originator_version
        if version is None:
            raise NotFound(f"aggregate {aggregate_id} did not exist at {at.isoformat()}")
        return int(version)


def plain(value: Any) -> Any:
    """JSON-ready values; personal data is never shown in clear."""
    if isinstance(value, PersonalData):
        return {"subject_id": str(value.subject_id), "sealed": not value.is_shredded}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal | str | int | float | bool) or value is None:
        return value
    return repr(value)
