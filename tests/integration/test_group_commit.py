"""Group commit: commands queued while a batch is written share the next transaction, and a
conflict inside a batch refuses only the later command (which decides again and is answered
from the record); a batch the database does not answer fails the commands queued behind it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import OperationalError

from application.region import Region
from application.settlements import SettlementRecord
from domain.person import InsuredPerson
from tests.support import claim, enroll, institution, sign


def _held_first_write(region: Region) -> tuple[threading.Event, list[int]]:
    """The next write waits for the returned gate; every write's event count is recorded."""
    gate, sizes = threading.Event(), []
    insert = region.recorder.insert_events

    def held(events: Any, **kwargs: Any) -> Any:
        if not sizes:
            gate.wait(10)
        sizes.append(len(events))
        return insert(events, **kwargs)

    region.recorder.insert_events = held  # type: ignore[method-assign]
    return gate, sizes


def _in_thread(
    work: Callable[[], SettlementRecord], out: list[SettlementRecord]
) -> threading.Thread:
    thread = threading.Thread(target=lambda: out.append(work()))
    thread.start()
    return thread


def _queued(region: Region, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(region.committer._queue) < count and time.monotonic() < deadline:
        time.sleep(0.005)


def test_duplicates_and_claims_of_one_person_in_one_batch_stay_exact(region: Region) -> None:
    sign(region)
    first_person, second_person = enroll(region), enroll(region)
    gate, sizes = _held_first_write(region)

    def settle(person: Any, request_id: str) -> Callable[[], SettlementRecord]:
        request = claim(person, "300.00", request_id=request_id)
        return lambda: region.settle(institution(request_id=request_id), request)

    answers: list[SettlementRecord] = []
    threads = [_in_thread(settle(first_person, "HOLD"), answers)]
    _queued(region, 0)
    time.sleep(0.05)  # the first command is being written (held at the gate)
    for person, request_id in (
        (second_person, "DUP"),
        (second_person, "DUP"),  # the same request again, in the same batch
        (second_person, "OTHER"),  # the same person again, in the same batch
    ):
        threads.append(_in_thread(settle(person, request_id), answers))
    _queued(region, 3)
    gate.set()
    for thread in threads:
        thread.join()

    assert sizes[1] == 2  # the second batch wrote one command (two events), refused two
    duplicates = [a for a in answers if a.request_id == "DUP"]
    assert {a.settlement_id for a in duplicates} == {duplicates[0].settlement_id}
    assert sorted(a.created for a in duplicates) == [False, True]
    person = region.repository.get(second_person)
    assert isinstance(person, InsuredPerson)
    settled = [a for a in answers if a.person_id == second_person and a.created]
    paid = sum(a.result.basic_fund_pay for a in settled if a.result is not None)
    assert person.year(2026).fund_paid_basic == paid
    assert person.version == 3  # enrolled, DUP once, OTHER


def test_a_refused_batch_refuses_only_its_stale_commands_and_writes_the_rest_together(
    region: Region,
) -> None:
    sign(region)
    persons = [enroll(region) for _ in range(4)]
    done = claim(persons[1], "120.00", request_id="DONE")
    first = region.settle(institution(request_id="DONE"), done)
    gate, sizes = _held_first_write(region)
    encoded: list[object] = []
    to_stored = region.mapper.to_stored_event
    region.mapper.to_stored_event = lambda e: encoded.append(e) or to_stored(e)  # type: ignore[method-assign]

    def settle(person: Any, request_id: str) -> Callable[[], SettlementRecord]:
        request = claim(person, "300.00", request_id=request_id)
        return lambda: region.settle(institution(request_id=request_id), request)

    answers: list[SettlementRecord] = []
    threads = [_in_thread(settle(persons[0], "HOLD"), answers)]
    time.sleep(0.05)  # the first command is being written (held at the gate)
    threads.append(_in_thread(lambda: region.settle(institution(request_id="DONE"), done), answers))
    threads += [_in_thread(settle(persons[n], f"NEW{n}"), answers) for n in (2, 3)]
    _queued(region, 3)
    gate.set()
    for thread in threads:
        thread.join()

    # The second batch (the stored request again and two new claims) is refused by the store;
    # one query finds the stale command, and the two new claims are written in one insert.
    assert sizes[:3] == [2, 6, 4]
    assert len(encoded) == 2 + 6  # each event encoded once, though written in a second try
    again = next(a for a in answers if a.request_id == "DONE")
    assert (again.settlement_id, again.created) == (first.settlement_id, False)
    assert {a.request_id for a in answers if a.created} == {"HOLD", "NEW2", "NEW3"}
    person = region.repository.get(persons[1])
    assert isinstance(person, InsuredPerson) and person.version == 2  # enrolled, DONE once


def test_a_write_the_database_does_not_answer_fails_the_commands_queued_behind_it(
    region: Region,
) -> None:
    """The queue is refused with the failed batch, not after one more lock timeout per batch
    (API.md: while the database is away every request answers within 2 s); the next command
    after it is written as usual."""
    sign(region)
    person = enroll(region)
    insert = region.recorder.insert_events
    gate, writes = threading.Event(), []

    def unavailable(events: Any, **kwargs: Any) -> Any:
        writes.append(len(events))
        if len(writes) == 1:
            gate.wait(10)
            raise OperationalError("database is locked")
        return insert(events, **kwargs)

    region.recorder.insert_events = unavailable  # type: ignore[method-assign]
    failures: list[Exception] = []

    def settle(request_id: str) -> None:
        request = claim(person, "300.00", request_id=request_id)
        try:
            region.settle(institution(request_id=request_id), request)
        except OperationalError as failed:
            failures.append(failed)

    threads = [threading.Thread(target=settle, args=("FIRST",))]
    threads[0].start()
    _queued(region, 0)
    time.sleep(0.05)  # the first command is being written (held at the gate)
    threads += [threading.Thread(target=settle, args=(f"Q{n}",)) for n in range(3)]
    for thread in threads[1:]:
        thread.start()
    _queued(region, 3)
    gate.set()
    for thread in threads:
        thread.join(10)

    assert len(writes) == 1  # the queued three were never written (nor waited for a lock)
    assert len(failures) == 4
    after = region.settle(
        institution(request_id="AFTER"), claim(person, "300.00", request_id="AFTER")
    )
    assert after.created and len(writes) == 2
