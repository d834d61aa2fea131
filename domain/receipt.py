"""A command's receipt: a retried request (same actor, same request id) is done once."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import YibaoAggregate


def receipt_id(actor_id: str, request_id: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"yibao:receipt:{actor_id}:{request_id}")


class CommandReceipt(YibaoAggregate):
    """Proof that one actor's request was carried out, and with which body."""

    @event("Received")
    def __init__(self, id: UUID, command: str, fingerprint: str) -> None:
        """The region carried out this request; a retry with the same body changes nothing."""
        self.command = command
        self.fingerprint = fingerprint
