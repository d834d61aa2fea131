"""A large region log for the read-side scenarios, made quickly: record a template, then clone it.

Recording through the application is honest but slow (tens of settlements a second on a shared
machine); a rebuild of a million events needs a million events. So the scenarios record a
*template* once through the application — the demo region (every kind of worked example:
agreements, funds, enrollments, settlements, a reversal, a rejection) and `settlements` more
claims — then append copies of it to the event store until it holds `size` events. Each copy
maps every id in the stored bytes (32 hex digits in quotes: aggregate, settlement, person and
agreement ids, correlation ids) to a fresh one derived from (copy, id), so a copy is a
consistent history of new aggregates. Personal data in a copy names a person with no key: it
reads as shredded, which the views must handle anyway. Timestamps are the template's.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4, uuid5

import psycopg
from pydantic import SecretStr
from sqlalchemy import Connection, text

from benchmarks.claims import claim, enroll, institution
from interfaces.bootstrap import build, create_db_engine
from interfaces.demo import load_demo
from interfaces.migrate import upgrade
from interfaces.settings import Settings
from projections.store import events_table

PG_ADMIN_URL = os.environ.get(
    "YIBAO_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
ID = re.compile(rb'"([0-9a-f]{32})"')
COPY_ROWS = 5000


@dataclass(frozen=True)
class Database:
    settings: Settings
    backend: str


@contextmanager
def database(backend: str) -> Iterator[Database]:
    """A fresh, migrated database on `backend` (sqlite or postgres), dropped afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        if backend == "sqlite":
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
            settings = Settings(database_url=url, data_dir=Path(tmp))
            upgrade(settings)
            yield Database(settings, backend)
            return
        url = create_pg_database()
        try:
            settings = Settings(database_url=url, data_dir=Path(tmp), id_secret=SecretStr("bench"))
            upgrade(settings)
            yield Database(settings, backend)
        finally:
            drop_pg_database(url)


def create_pg_database() -> str:
    """A new, empty PostgreSQL database; its URL."""
    name = f"yibao_bench_{uuid4().hex[:16]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def record_template(settings: Settings, settlements: int = 200, persons: int = 40) -> int:
    """The demo region and `settlements` claims of `persons` people (every tenth reversed)."""
    container = build(settings)
    try:
        region = container.region
        load_demo(region)
        people = [enroll(region, n) for n in range(persons)]
        for n in range(settlements):
            request = claim(people[n % persons], n)
            settled = region.settle(institution(request.request_id), request)
            if n % 10 == 9:
                region.reverse_settlement(
                    institution(f"R{n}"), settled.settlement_id, reason="entered twice"
                )
        return region.head()
    finally:
        container.close()


def extend_by_cloning(settings: Settings, size: int) -> int:
    """Append copies of the log as it is until it holds at least `size` events."""
    engine = create_db_engine(settings)
    try:
        with engine.begin() as connection:
            template = _template(connection)
            held = len(template)
            copy = 0
            while held < size:
                copy += 1
                rows = [_cloned(row, copy) for row in template[: size - held]]
                _append(connection, rows)
                held += len(rows)
        return held
    finally:
        engine.dispose()


Row = tuple[UUID, int, str, bytes]


def _template(connection: Connection) -> list[Row]:
    table, position = events_table(connection.dialect.name)
    found = connection.execute(
        text(
            f"SELECT originator_id, originator_version, topic, state FROM {table} "
            f"ORDER BY {position}"
        )
    )
    return [(_uuid(r[0]), int(r[1]), str(r[2]), bytes(r[3])) for r in found]


def _uuid(value: object) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def _cloned(row: Row, copy: int) -> Row:
    namespace = UUID(int=copy)
    originator, version, topic, state = row

    def fresh(found: re.Match[bytes]) -> bytes:
        return b'"' + uuid5(namespace, found.group(1).decode()).hex.encode() + b'"'

    return uuid5(namespace, originator.hex), version, topic, ID.sub(fresh, state)


def _append(connection: Connection, rows: list[Row]) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(
            "INSERT INTO stored_events (originator_id, originator_version, topic, state) "
            "VALUES (?, ?, ?, ?)",
            [(o.hex, v, t, s) for o, v, t, s in rows],
        )
        return
    raw = connection.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    with raw.cursor() as cursor:
        statement = (
            "COPY region_events (originator_id, originator_version, topic, state) FROM STDIN"
        )
        with cursor.copy(statement) as copying:
            for row in rows:
                copying.write_row(row)
