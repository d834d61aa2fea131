"""Auditors' and archivists' answers (service → client): the trail, the chain, the catalogue."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from interfaces.http.schemas.types import Outbound


class AuditEvent(Outbound):
    position: int
    aggregate_id: UUID
    aggregate_type: str
    version: int = Field(ge=1)
    event_type: str
    recorded_at: datetime | None  # None only for a stored event that is not JSON at all
    actor: str
    role: str
    request_id: str
    reason: str
    payload: Any
    hash: str = Field(pattern="^[0-9a-f]{64}$")


class AuditEvents(Outbound):
    items: list[AuditEvent]
    next: int | None


class ChainVerification(Outbound):
    checked: int
    head_hash: str | None
    ok: bool
    first_mismatch_position: int | None
    trail_lag: int  # events in the range the audit trail has not projected yet: not compared


class ArchiveRecord(Outbound):
    record_no: int
    archive_number: str
    record_class: str
    retention_code: str
    formed_date: date
    due_date: date | None
    held: bool
    volume_id: str
    position: int | None
    aggregate_id: UUID | None
    event_type: str | None
    period: str | None
    digest: str


class ArchiveRecords(Outbound):
    items: list[ArchiveRecord]
    next: int | None


class ArchiveVolume(Outbound):
    volume_id: str
    year: int
    month: int
    record_class: str
    record_count: int
    seal_hash: str
    sealed: bool


class ArchiveVolumes(Outbound):
    items: list[ArchiveVolume]
    next: str | None
