"""Archivists' commands and their answers: holds, disposals, retention packages."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from domain.archive_records import RecordScope
from interfaces.http.schemas.types import (
    Code,
    Day,
    Inbound,
    InstitutionCode,
    Outbound,
    Position,
    Reason,
)


class Scope(Inbound):
    """Aggregates by id, or a record query (every criterion given must match)."""

    aggregate_ids: list[UUID] | None = Field(default=None, min_length=1, max_length=1000)
    record_class: Code | None = None
    since: Day | None = Field(default=None, description="formed on or after")
    until: Day | None = Field(default=None, description="formed on or before")
    institution_code: InstitutionCode | None = None
    person_id: UUID | None = None

    def to_scope(self) -> RecordScope:
        return RecordScope(
            aggregate_ids=tuple(self.aggregate_ids or ()),
            record_class=self.record_class,
            since=self.since,
            until=self.until,
            institution_code=self.institution_code,
            person_id=self.person_id,
        )


class HoldRequest(Inbound):
    scope: Scope
    reason: Reason
    legal_basis: Reason


class ReleaseRequest(Inbound):
    reason: Reason


class DisposalProposal(Inbound):
    scope: Scope
    appraisal_opinion: Reason


class DisposalApproval(Inbound):
    reason: Reason


class PackageRequest(Inbound):
    since: Day
    until: Day
    record_class: Code | None = None
    aggregate_ids: list[UUID] | None = Field(default=None, min_length=1, max_length=1000)


class HoldPlaced(Outbound):
    hold_id: UUID
    position: Position


class HoldOut(Outbound):
    hold_id: UUID
    active: bool
    legal_basis: str
    aggregate_ids: list[UUID]
    record_class: str | None
    since: date | None
    until: date | None
    institution_code: str | None
    person_id: UUID | None


class Holds(Outbound):
    items: list[HoldOut]
    next: None = None


class DisposalProposed(Outbound):
    disposal_id: UUID
    aggregate_ids: list[UUID]
    position: Position


class DisposalExecuted(DisposalProposed):
    status: str


class DisposalOut(Outbound):
    disposal_id: UUID
    status: str  # proposed | executed
    aggregate_ids: list[UUID]
    appraisal_opinion: str
    proposed_by: str
    approved_by: str | None


class Disposals(Outbound):
    items: list[DisposalOut]
    next: None = None


class PackageCreated(Outbound):
    package_id: UUID
    files: int
    bytes: int
    sha256: str = Field(pattern="^[0-9a-f]{64}$")
