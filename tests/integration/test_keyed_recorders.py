"""The recorders that write a batch's new settlement keys in the events' own transaction: they
pass the library's own application-recorder test cases on both backends, a key is written if
and only if its events are, and a key reserved for a write is never seen by a reader."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests.persistence import ApplicationRecorderTestCase
from sqlalchemy import event, make_url, select

from application.region import Region
from domain.settlement import Settlement, settlement_id
from interfaces.bootstrap import Container, build
from interfaces.keystore import SqlKeyStore, personal_data_keys
from interfaces.recorders import KeyedPostgresRecorder, KeyedSQLiteRecorder
from tests.conftest import Clock, create_pg_database, drop_pg_database
from tests.support import HOSPITAL, claim, enroll, institution, sign


class TestKeyedSQLiteRecorderIsTheLibrarysRecorder(
    ApplicationRecorderTestCase[KeyedSQLiteRecorder]
):
    def setUp(self) -> None:
        self._tmp = tempfile.TemporaryDirectory()

    def tearDown(self) -> None:
        self._tmp.cleanup()

    def create_recorder(self) -> KeyedSQLiteRecorder:
        datastore = SQLiteDatastore(str(Path(self._tmp.name) / "events.sqlite"))
        recorder = KeyedSQLiteRecorder(datastore)
        recorder.create_table()
        return recorder


class TestKeyedPostgresRecorderIsTheLibrarysRecorder(
    ApplicationRecorderTestCase[KeyedPostgresRecorder]
):
    def setUp(self) -> None:
        self._url = create_pg_database()
        self._datastores: list[PostgresDatastore] = []

    def tearDown(self) -> None:
        for datastore in self._datastores:
            datastore.close()
        drop_pg_database(self._url)

    def create_recorder(self) -> KeyedPostgresRecorder:
        url = make_url(self._url)
        datastore = PostgresDatastore(
            url.database or "",
            "127.0.0.1",
            url.port or 5432,
            url.username or "postgres",
            "",
            pool_size=4,
            max_overflow=4,
        )
        self._datastores.append(datastore)
        recorder = KeyedPostgresRecorder(datastore, events_table_name="region_events")
        recorder.create_table()
        return recorder


def _stored_key(container: Container, subject: Any) -> bytes | None:
    with container.engine.connect() as connection:
        row = connection.execute(
            select(personal_data_keys.c.key).where(personal_data_keys.c.subject_id == subject.hex)
        ).first()
    return None if row is None else bytes(row.key)


@pytest.fixture
def second(container: Container, clock: Clock) -> Iterator[Container]:
    """Another process on the same database."""
    other = build(container.settings, clock=clock)
    yield other
    other.close()


def test_a_settlement_key_is_written_with_its_events_and_read_by_another_process(
    container: Container, second: Container
) -> None:
    region: Region = container.region
    sign(region)
    person = enroll(region)

    separate: list[str] = []
    event.listen(
        container.engine,
        "before_cursor_execute",
        lambda *a: separate.append(a[2]) if "INSERT" in a[2].upper() else None,
    )

    settled = region.settle(institution(request_id="K-1"), claim(person, request_id="K-1"))

    assert separate == []  # no transaction of its own: the recorder wrote it
    assert _stored_key(container, settled.settlement_id) is not None
    found = second.region.settlement_aggregate(settled.settlement_id)
    assert isinstance(found, Settlement) and found.diagnosis_code is not None


def test_a_refused_write_leaves_no_key_and_the_stored_key_stays(
    container: Container, second: Container
) -> None:
    region: Region = container.region
    sign(region)
    person = enroll(region)
    first = second.region.settle(institution(request_id="DUP"), claim(person, request_id="DUP"))
    stored = _stored_key(container, first.settlement_id)

    again = region.settle(institution(request_id="DUP"), claim(person, request_id="DUP"))

    assert (again.settlement_id, again.created) == (first.settlement_id, False)
    assert _stored_key(container, first.settlement_id) == stored  # not replaced
    assert region.keys.get(first.settlement_id) == stored  # nor cached wrongly here
    assert region.settlement_aggregate(first.settlement_id).diagnosis_code is not None


def test_an_unused_key_an_earlier_release_left_is_replaced_by_the_one_sealing(
    container: Container, second: Container
) -> None:
    region: Region = container.region
    sign(region)
    person = enroll(region)
    subject = settlement_id(HOSPITAL, "ORPHAN")
    SqlKeyStore(container.engine).create(subject)  # its events were never written

    region.settle(institution(request_id="ORPHAN"), claim(person, request_id="ORPHAN"))

    found = second.region.settlement_aggregate(subject)
    assert found.diagnosis_code is not None  # sealed with the key that was stored


def test_a_reserved_key_is_seen_by_sealing_only_until_confirmed(container: Container) -> None:
    keys = container.keys
    subject = settlement_id(HOSPITAL, "RESERVED")
    reserved = keys.reserve([subject])

    assert keys.for_sealing(subject) == reserved[subject]
    assert keys.get(subject) is None  # readers never decode with an unwritten key
    keys.release(reserved)
    assert keys.reserve([subject]) != reserved  # a released key is gone
