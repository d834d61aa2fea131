"""The aggregate base class: every event is stamped with the audit envelope and its time."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.audit import Audit, current_stamp


class YibaoAggregate(Aggregate):
    """An aggregate whose events carry `audit` and take their timestamp from the command."""

    class Event(Aggregate.Event):
        audit: Audit

    class Created(Event, Aggregate.Created):
        pass

    @classmethod
    def _create(
        cls,
        event_class: Any,
        *,
        id: UUID | None = None,
        **kwargs: Any,
    ) -> Any:
        return super()._create(event_class, id=id, **_stamped(kwargs))

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        super().trigger_event(event_class, **_stamped(kwargs))


def _stamped(kwargs: dict[str, Any]) -> dict[str, Any]:
    stamp = current_stamp()
    return {**kwargs, "audit": stamp.audit, "timestamp": stamp.at}
