"""What a projection sees of one recorded event: its position, the stored bytes, the event.

The stored bytes (topic, originator id and version, state) are what the audit chain hashes;
the decoded event is what the views read. Decoding decrypts personal data, so it happens
lazily — the audit trail never needs it — and no view stores the clear fields it exposes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

REGION_TZ = ZoneInfo("Asia/Shanghai")


@dataclass
class Recorded:
    """One notification of the region's log, decoded on first use."""

    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes
    decode: Callable[[], Any] = field(repr=False, compare=False)

    @cached_property
    def event(self) -> Any:
        return self.decode()

    @property
    def event_type(self) -> str:
        """The event class's qualified name, e.g. ``Settlement.Reversed`` (from the topic)."""
        return self.topic.rpartition(":")[2]

    @property
    def aggregate_type(self) -> str:
        return self.event_type.rpartition(".")[0] or self.event_type

    @property
    def recorded_at(self) -> datetime:
        stamp: datetime = self.event.timestamp
        return stamp

    @property
    def recorded_on(self) -> date:
        """The day the event was recorded, in the region's time zone (对总账 days)."""
        return self.recorded_at.astimezone(REGION_TZ).date()


def recorded_from(notification: Any, to_domain_event: Callable[[Any], Any]) -> Recorded:
    """Wrap a library `Notification`; `to_domain_event` is the region's mapper method."""
    originator = notification.originator_id
    return Recorded(
        position=int(notification.id),
        originator_id=originator if isinstance(originator, UUID) else UUID(str(originator)),
        originator_version=int(notification.originator_version),
        topic=str(notification.topic),
        state=bytes(notification.state),
        decode=lambda: to_domain_event(notification),
    )
