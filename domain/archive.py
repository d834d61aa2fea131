"""The archive office (档案室) of a region: holds (封存) and two-person disposal (销毁).

A hold covers the records its scope names — some aggregates' records, or a record query
(class, period formed, institution, person) that also covers records formed after the hold
was placed — until it is released. A disposal is proposed by one archivist with an appraisal
opinion (鉴定意见) for whole aggregates (every record of each), and approved by a different
archivist; approval is the register entry, after which the application destroys the
personal data of exactly those aggregates (their keys). Nothing is destroyed without both.

One office aggregate per region holds every hold and disposal: placing a hold and approving
a disposal touch the same aggregate, so a hold placed while a disposal is being approved
makes the approval decide again (and be refused).

What a record is, what a scope covers and whose records an aggregate's are live in
`domain/archive_records.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.archive_records import RecordFacts, RecordScope
from domain.audit import require_reason
from domain.base import YibaoAggregate
from domain.errors import (
    AlreadyDisposed,
    AlreadyReleased,
    NotFound,
    NotYetDue,
    RecordHeld,
    RecordNotFound,
    SameArchivist,
    ValidationFailed,
)

ARCHIVE_ID = uuid5(NAMESPACE_URL, "yibao:archive-office")


@dataclass
class Hold:
    scope: RecordScope
    legal_basis: str
    active: bool = True


@dataclass
class Disposal:
    aggregate_ids: tuple[UUID, ...]
    opinion: str
    proposed_by: str
    approved_by: str | None = None


class Archive(YibaoAggregate):
    """The region's archive office: its holds and its disposals."""

    def __init__(self) -> None:
        self.holds: dict[UUID, Hold] = {}
        self.disposals: dict[UUID, Disposal] = {}
        self.disposed: set[UUID] = set()

    @classmethod
    def open(cls) -> Archive:
        return cls._create(cls.Opened, id=ARCHIVE_ID)  # type: ignore[no-any-return]

    class Opened(YibaoAggregate.Created):
        """The region's archive office keeps its first register entry."""

    # --- holds ---------------------------------------------------------------------------

    def place_hold(self, hold_id: UUID, scope: RecordScope, legal_basis: str) -> None:
        """封存: stop disposal of every record in scope until released (reason required)."""
        require_reason("a hold")
        if not legal_basis.strip():
            raise ValidationFailed("legal_basis", "a hold names its legal basis")
        self._hold_placed(hold_id=hold_id, scope=scope.validate(), legal_basis=legal_basis)

    @event("HoldPlaced")
    def _hold_placed(self, hold_id: UUID, scope: RecordScope, legal_basis: str) -> None:
        """An archivist held the records in scope, with a reason and a legal basis."""
        self.holds[hold_id] = Hold(scope, legal_basis)

    def release_hold(self, hold_id: UUID) -> None:
        require_reason("a release")
        hold = self.holds.get(hold_id)
        if hold is None:
            raise NotFound(f"no hold {hold_id}")
        if not hold.active:
            raise AlreadyReleased()
        self._hold_released(hold_id=hold_id)

    @event("HoldReleased")
    def _hold_released(self, hold_id: UUID) -> None:
        """An archivist released a hold; its records may be disposed of when due."""
        self.holds[hold_id].active = False

    def holding(self, record: RecordFacts) -> list[UUID]:
        """The active holds covering a record."""
        return [i for i, h in self.holds.items() if h.active and h.scope.covers(record)]

    # --- disposal ------------------------------------------------------------------------

    def propose_disposal(
        self,
        disposal_id: UUID,
        records: dict[UUID, list[RecordFacts]],
        opinion: str,
        proposer: str,
        today: date,
    ) -> None:
        """An archivist proposes whole aggregates for disposal with an appraisal opinion."""
        if not opinion.strip():
            raise ValidationFailed("appraisal_opinion", "a disposal needs an appraisal opinion")
        if not records:
            raise RecordNotFound("the scope names no record")
        self._require_disposable(records, today)
        ids = tuple(records)
        self._disposal_proposed(
            disposal_id=disposal_id, aggregate_ids=ids, opinion=opinion, proposer=proposer
        )

    @event("DisposalProposed")
    def _disposal_proposed(
        self, disposal_id: UUID, aggregate_ids: tuple[UUID, ...], opinion: str, proposer: str
    ) -> None:
        """An archivist proposed these aggregates' records for disposal (鉴定意见 given)."""
        self.disposals[disposal_id] = Disposal(tuple(aggregate_ids), opinion, proposer)

    def approve_disposal(
        self,
        disposal_id: UUID,
        records: dict[UUID, list[RecordFacts]],
        approver: str,
        today: date,
    ) -> tuple[UUID, ...]:
        """A second archivist approves: the records are checked again (a hold may have been
        placed since the proposal); returns the aggregates whose personal data goes."""
        require_reason("a disposal")
        disposal = self.proposal(disposal_id)
        if disposal.approved_by is not None:
            raise AlreadyDisposed(f"disposal {disposal_id} was executed already")
        if approver == disposal.proposed_by:
            raise SameArchivist()
        self._require_disposable(records, today)
        self._disposal_approved(disposal_id=disposal_id, approver=approver)
        return disposal.aggregate_ids

    @event("DisposalApproved")
    def _disposal_approved(self, disposal_id: UUID, approver: str) -> None:
        """A second archivist approved; the records' personal data is destroyed (登记)."""
        disposal = self.disposals[disposal_id]
        disposal.approved_by = approver
        self.disposed.update(disposal.aggregate_ids)

    def proposal(self, disposal_id: UUID) -> Disposal:
        found = self.disposals.get(disposal_id)
        if found is None:
            raise NotFound(f"no disposal {disposal_id}")
        return found

    def _require_disposable(self, records: dict[UUID, list[RecordFacts]], today: date) -> None:
        for aggregate_id, facts in records.items():
            if not facts:
                raise RecordNotFound(f"no record of {aggregate_id}")
            if aggregate_id in self.disposed:
                raise AlreadyDisposed(f"the records of {aggregate_id} were disposed of")
            for record in facts:
                _require_due(record, today)
                if self.holding(record):
                    raise RecordHeld(f"{record.event_type} of {aggregate_id} is held")


def _require_due(record: RecordFacts, today: date) -> None:
    due = record.due
    if due is None or due > today:
        when = "never (permanent)" if due is None else f"on {due.isoformat()}"
        raise NotYetDue(f"{record.event_type} of {record.aggregate_id} is due {when}")
