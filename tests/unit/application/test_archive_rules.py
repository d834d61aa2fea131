"""Holds and two-person disposal (DOMAIN.md §8): every refusal changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from application.context import ARCHIVIST, Actor, Context
from application.region import Region
from domain.archive import ARCHIVE_ID
from domain.archive_records import RecordFacts, RecordScope
from domain.errors import (
    AlreadyDisposed,
    AlreadyReleased,
    Forbidden,
    NotFound,
    NotYetDue,
    RecordHeld,
    RecordNotFound,
    SameArchivist,
    ValidationFailed,
)
from tests.conftest import Clock
from tests.support import HOSPITAL, agency, claim, enroll, institution, sign

ALICE = Context(Actor("archivist-alice", ARCHIVIST))
BOB = Context(Actor("archivist-bob", ARCHIVIST))
LONG_AFTER = datetime(2100, 6, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def old_records(memory_region: Region, clock: Clock) -> tuple[UUID, UUID]:
    """A person and a settlement formed in 1990 (payment detail due 2021, person 2091)."""
    clock.now = datetime(1990, 3, 2, 2, 0, tzinfo=UTC)
    sign(memory_region)
    person = enroll(memory_region)
    settled = memory_region.settle(institution(), claim(person))
    return person, settled.settlement_id


def log_head(region: Region) -> int:
    return region.head()


def test_a_disposal_proposed_by_one_archivist_and_approved_by_another_destroys_the_keys(
    memory_region: Region, clock: Clock, old_records: tuple[UUID, UUID]
) -> None:
    person, settlement = old_records
    clock.now = LONG_AFTER
    proposed = memory_region.propose_disposal(
        ALICE, [person, settlement], appraisal_opinion="保管期满，无利用价值"
    )
    done = memory_region.approve_disposal(BOB, proposed.disposal_id, reason="鉴定小组同意")
    assert set(done.aggregate_ids) == {person, settlement}
    assert memory_region.keys.get(person) is None
    assert memory_region.keys.get(settlement) is None
    (entry,) = memory_region.disposals()
    assert (entry.status, entry.proposed_by, entry.approved_by) == (
        "executed",
        "archivist-alice",
        "archivist-bob",
    )
    assert memory_region.repository.get(person).personal.is_shredded


def test_a_record_not_yet_due_is_refused_and_nothing_is_recorded(
    memory_region: Region, clock: Clock, old_records: tuple[UUID, UUID]
) -> None:
    person, settlement = old_records
    clock.now = datetime(2050, 1, 1, tzinfo=UTC)  # the settlement is due, the person is not
    head = log_head(memory_region)
    with pytest.raises(NotYetDue):
        memory_region.propose_disposal(ALICE, [person, settlement], appraisal_opinion="期满")
    assert log_head(memory_region) == head


@pytest.mark.parametrize(
    ("formed", "today", "due"),
    [
        (date(2026, 12, 31), date(2056, 12, 31), False),
        (date(2026, 12, 31), date(2057, 1, 1), True),
        (date(2026, 1, 1), date(2057, 1, 1), True),
    ],
)
def test_payment_details_are_due_on_the_first_of_january_thirty_years_after_the_year_formed(
    formed: date, today: date, due: bool
) -> None:
    record = RecordFacts(uuid4(), "Settlement.Settled", formed)
    assert (record.due is not None and record.due <= today) is due


def test_a_permanent_record_is_never_due(
    memory_region: Region, clock: Clock, old_records: tuple[UUID, UUID]
) -> None:
    scope = RecordScope(person_id=old_records[0])
    memory_region.place_hold(ALICE, scope, reason="稽核", legal_basis="稽核封存")
    clock.now = datetime(2999, 1, 1, tzinfo=UTC)
    with pytest.raises(NotYetDue):  # the archive office's own register is permanent
        memory_region.propose_disposal(ALICE, [ARCHIVE_ID], appraisal_opinion="期满")


def test_a_held_record_cannot_be_proposed_and_a_released_one_can(
    memory_region: Region, clock: Clock, old_records: tuple[UUID, UUID]
) -> None:
    _, settlement = old_records
    hold = memory_region.place_hold(
        ALICE, RecordScope(institution_code=HOSPITAL), reason="稽核", legal_basis="稽核封存"
    )
    clock.now = LONG_AFTER
    with pytest.raises(RecordHeld):
        memory_region.propose_disposal(ALICE, [settlement], appraisal_opinion="期满")
    memory_region.release_hold(ALICE, hold.hold_id, reason="稽核结束")
    with pytest.raises(AlreadyReleased):
        memory_region.release_hold(ALICE, hold.hold_id, reason="again")
    memory_region.propose_disposal(ALICE, [settlement], appraisal_opinion="期满")


def test_a_hold_placed_between_proposal_and_approval_stops_the_approval(
    memory_region: Region, clock: Clock, old_records: tuple[UUID, UUID]
) -> None:
    person, settlement = old_records
    clock.now = LONG_AFTER
    proposed = memory_region.propose_disposal(ALICE, [settlement], appraisal_opinion="期满")
    memory_region.place_hold(
        BOB, RecordScope(person_id=person), reason="诉讼", legal_basis="法院协助执行通知书"
    )
    head = log_head(memory_region)
    with pytest.raises(RecordHeld):
        memory_region.approve_disposal(BOB, proposed.disposal_id, reason="同意")
    assert log_head(memory_region) == head
    assert memory_region.keys.get(settlement) is not None


def test_the_proposer_cannot_approve_and_a_disposal_runs_once(
    memory_region: Region, clock: Clock, old_records: tuple[UUID, UUID]
) -> None:
    _, settlement = old_records
    clock.now = LONG_AFTER
    proposed = memory_region.propose_disposal(ALICE, [settlement], appraisal_opinion="期满")
    with pytest.raises(SameArchivist):
        memory_region.approve_disposal(ALICE, proposed.disposal_id, reason="同意")
    assert memory_region.keys.get(settlement) is not None
    memory_region.approve_disposal(BOB, proposed.disposal_id, reason="同意")
    with pytest.raises(AlreadyDisposed):
        memory_region.approve_disposal(BOB, proposed.disposal_id, reason="同意")
    with pytest.raises(AlreadyDisposed):
        memory_region.propose_disposal(ALICE, [settlement], appraisal_opinion="期满")


def test_unknown_records_holds_and_disposals_are_refused(
    memory_region: Region, clock: Clock, old_records: tuple[UUID, UUID]
) -> None:
    clock.now = LONG_AFTER
    with pytest.raises(RecordNotFound):
        memory_region.propose_disposal(ALICE, [uuid4()], appraisal_opinion="期满")
    with pytest.raises(NotFound):
        memory_region.approve_disposal(BOB, uuid4(), reason="同意")
    with pytest.raises(NotFound):
        memory_region.release_hold(ALICE, uuid4(), reason="x")


def test_holds_and_disposals_need_reasons_opinions_and_an_archivist(
    memory_region: Region, clock: Clock, old_records: tuple[UUID, UUID]
) -> None:
    person, settlement = old_records
    with pytest.raises(ValidationFailed, match="reason"):
        memory_region.place_hold(ALICE, RecordScope(person_id=person), reason=" ", legal_basis="x")
    with pytest.raises(ValidationFailed, match="legal_basis"):
        memory_region.place_hold(ALICE, RecordScope(person_id=person), reason="x", legal_basis="")
    with pytest.raises(ValidationFailed, match="scope"):
        memory_region.place_hold(ALICE, RecordScope(), reason="x", legal_basis="x")
    with pytest.raises(Forbidden):
        memory_region.place_hold(
            agency(), RecordScope(person_id=person), reason="x", legal_basis="x"
        )
    clock.now = LONG_AFTER
    with pytest.raises(ValidationFailed, match="appraisal_opinion"):
        memory_region.propose_disposal(ALICE, [settlement], appraisal_opinion=" ")
