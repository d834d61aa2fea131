"""Reads of personal data are themselves records (调阅必须登记)."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.audit import current_stamp
from domain.base import YibaoAggregate


class PersonalDataAccess(YibaoAggregate):
    """One read of persons' data by an operator, auditor or archivist."""

    @classmethod
    def record(cls, subject_ids: list[UUID], purpose: str) -> PersonalDataAccess:
        stamp = current_stamp()
        key = f"{stamp.audit.correlation_id}:{stamp.at.isoformat()}:{purpose}"
        return cls(
            id=uuid5(NAMESPACE_URL, f"yibao:access:{key}"), subject_ids=subject_ids, purpose=purpose
        )

    @event("Read")
    def __init__(self, id: UUID, subject_ids: list[UUID], purpose: str) -> None:
        """Someone read these persons' data for a purpose (the actor is in the envelope)."""
        self.subject_ids = list(subject_ids)
        self.purpose = purpose
