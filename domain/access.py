"""Reads of personal data are themselves records (调阅必须登记)."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from domain.base import YibaoAggregate


class PersonalDataAccess(YibaoAggregate):
    """One read of persons' data by an operator, auditor or archivist."""

    @event("Read")
    def __init__(self, id: UUID, subject_ids: list[UUID], purpose: str) -> None:
        """Someone read these persons' data for a purpose (the actor is in the envelope)."""
        self.subject_ids = list(subject_ids)
        self.purpose = purpose
