"""Archivists' commands: holds (封存) and two-person disposal with crypto-shredding.

Approval is committed first (the register entry), then the disposed aggregates' keys are
destroyed and every cache of this process forgets them. Another process learns of it from the
log: `forget_disposed()` reads the approvals recorded since it last looked and does the same
(destroying a key twice is harmless), so a crash between the commit and the destruction is
repaired by the next look of any process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from application.context import ARCHIVIST, Context
from application.core import REGION_TZ
from application.forgetting import Forgetting
from domain.archive import ARCHIVE_ID, Archive
from domain.archive_records import RecordFacts, RecordScope, facts_of
from domain.errors import Forbidden


@dataclass(frozen=True)
class HoldPlaced:
    hold_id: UUID
    position: int


@dataclass(frozen=True)
class DisposalProposed:
    disposal_id: UUID
    position: int


@dataclass(frozen=True)
class DisposalExecuted:
    disposal_id: UUID
    aggregate_ids: tuple[UUID, ...]
    position: int


@dataclass(frozen=True)
class HoldEntry:
    hold_id: UUID
    scope: RecordScope
    legal_basis: str
    active: bool


@dataclass(frozen=True)
class DisposalEntry:
    """One line of the disposal register (or a proposal still waiting for approval)."""

    disposal_id: UUID
    aggregate_ids: tuple[UUID, ...]
    appraisal_opinion: str
    proposed_by: str
    approved_by: str | None

    @property
    def status(self) -> str:
        return "proposed" if self.approved_by is None else "executed"


def formed_on(domain_event: Any) -> date:
    """The region's day an event was recorded (the catalogue's formed date)."""
    day: date = domain_event.timestamp.astimezone(REGION_TZ).date()
    return day


def require_archivist(ctx: Context) -> None:
    if ctx.actor.role != ARCHIVIST:
        raise Forbidden("only archivists hold and dispose of records")


class ArchiveCommands(Forgetting):
    # --- holds ---------------------------------------------------------------------------

    def place_hold(
        self, ctx: Context, scope: RecordScope, *, reason: str, legal_basis: str
    ) -> HoldPlaced:
        """封存: hold the records in scope (also those formed later) until released."""
        require_archivist(ctx)
        hold_id = uuid4()

        def decide() -> tuple[list[Archive], None]:
            archive = self._archive()
            archive.place_hold(hold_id, scope, legal_basis.strip())
            return [archive], None

        return HoldPlaced(hold_id, self._commit(ctx, decide, reason=reason)[1])

    def release_hold(self, ctx: Context, hold_id: UUID, *, reason: str) -> int:
        require_archivist(ctx)

        def decide() -> tuple[list[Archive], None]:
            archive = self._archive()
            archive.release_hold(hold_id)
            return [archive], None

        return self._commit(ctx, decide, reason=reason)[1]

    def holds(self) -> list[HoldEntry]:
        archive = self._find(ARCHIVE_ID, Archive)
        held = archive.holds.items() if archive else ()
        return [HoldEntry(i, h.scope, h.legal_basis, h.active) for i, h in held]

    # --- disposal ------------------------------------------------------------------------

    def propose_disposal(
        self, ctx: Context, aggregate_ids: Sequence[UUID], *, appraisal_opinion: str
    ) -> DisposalProposed:
        """An archivist proposes every record of these aggregates for disposal."""
        require_archivist(ctx)
        disposal_id = uuid4()
        records = self.records_of(aggregate_ids)

        def decide() -> tuple[list[Archive], None]:
            archive = self._archive()
            archive.propose_disposal(
                disposal_id, records, appraisal_opinion.strip(), ctx.actor.actor_id, self.today()
            )
            return [archive], None

        return DisposalProposed(disposal_id, self._commit(ctx, decide)[1])

    def approve_disposal(self, ctx: Context, disposal_id: UUID, *, reason: str) -> DisposalExecuted:
        """A second archivist approves; the records' personal data is destroyed at once."""
        require_archivist(ctx)

        def decide() -> tuple[list[Archive], tuple[UUID, ...]]:
            archive = self._archive()
            records = self.records_of(archive.proposal(disposal_id).aggregate_ids)
            disposed = archive.approve_disposal(
                disposal_id, records, ctx.actor.actor_id, self.today()
            )
            return [archive], disposed

        disposed, position = self._commit(ctx, decide, reason=reason)
        self.forget(disposed)
        return DisposalExecuted(disposal_id, disposed, position)

    def disposals(self) -> list[DisposalEntry]:
        archive = self._find(ARCHIVE_ID, Archive)
        listed = archive.disposals.items() if archive else ()
        return [
            DisposalEntry(i, d.aggregate_ids, d.opinion, d.proposed_by, d.approved_by)
            for i, d in listed
        ]

    def records_of(self, aggregate_ids: Sequence[UUID]) -> dict[UUID, list[RecordFacts]]:
        """Every record (event) of these aggregates, as holds and due dates see them."""
        return {a: facts_of(a, self.events.get(a), formed_on) for a in dict.fromkeys(aggregate_ids)}

    def _archive(self) -> Archive:
        found = self._find(ARCHIVE_ID, Archive)
        return found if found is not None else Archive.open()
