"""What a projection sees of one recorded event: its position, the stored bytes, the event.

The stored bytes (topic, originator id and version, state) are what the audit chain hashes;
the decoded event is what the views read. Decoding decrypts personal data and can fail (an
event stored by an older release, a transcoding since removed), so it happens lazily and
only for the projections that need the event's fields. The audit envelope — who, in which
role, why, on which request, when — is read from the stored JSON itself (`envelope`),
without the mapper: the audit trail and the catalogue never decode.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.audit import Audit

REGION_TZ = ZoneInfo("Asia/Shanghai")
ENVELOPE_FIELDS = ("actor_id", "role", "reason", "request_id", "correlation_id")


@dataclass(frozen=True)
class Envelope:
    """The audit envelope as stored; empty strings (and no instant) where it is unreadable."""

    actor_id: str = ""
    role: str = ""
    reason: str = ""
    request_id: str = ""
    correlation_id: str = ""
    timestamp: datetime | None = None


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

    @cached_property
    def envelope(self) -> Envelope:
        # An event already decoded carries its envelope: no second parse of the stored JSON.
        decoded = self.__dict__.get("event")
        found = envelope_of_event(decoded) if decoded is not None else None
        return found if found is not None else envelope_of(self.state)

    @property
    def event_type(self) -> str:
        """The event class's qualified name, e.g. ``Settlement.Reversed`` (from the topic)."""
        return self.topic.rpartition(":")[2]

    @property
    def aggregate_type(self) -> str:
        return self.event_type.rpartition(".")[0] or self.event_type

    @property
    def recorded_at(self) -> datetime:
        """When the event was recorded: the stored timestamp, else the decoded event's."""
        stamp = self.envelope.timestamp
        if stamp is None:
            decoded: datetime = self.event.timestamp
            return decoded
        return stamp

    @property
    def recorded_on(self) -> date:
        """The day the event was recorded, in the region's time zone (对总账 days)."""
        return self.recorded_at.astimezone(REGION_TZ).date()


def envelope_of(state: bytes) -> Envelope:
    """The envelope from the stored JSON (`{"timestamp": {"_type_": "datetime_iso",
    "_data_": …}, "audit": {"_type_": "audit", "_data_": {…}}, …}`), never raising."""
    try:
        stored = json.loads(state)
    except ValueError:  # not JSON (nor UTF-8): nothing to read
        return Envelope()
    if not isinstance(stored, Mapping):
        return Envelope()
    audit = _data(stored.get("audit"))
    fields = audit if isinstance(audit, Mapping) else {}
    return Envelope(
        **{name: _text(fields.get(name)) for name in ENVELOPE_FIELDS},
        timestamp=_instant(_data(stored.get("timestamp"))),
    )


def envelope_of_event(event: Any) -> Envelope | None:
    """The envelope a decoded event carries (the same fields `envelope_of` reads from its
    stored JSON); None when it carries none."""
    audit, stamp = getattr(event, "audit", None), getattr(event, "timestamp", None)
    if not isinstance(audit, Audit) or not isinstance(stamp, datetime) or stamp.tzinfo is None:
        return None
    return Envelope(
        **{name: _text(getattr(audit, name)) for name in ENVELOPE_FIELDS}, timestamp=stamp
    )


def _data(value: Any) -> Any:
    return value.get("_data_") if isinstance(value, Mapping) else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else None


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
