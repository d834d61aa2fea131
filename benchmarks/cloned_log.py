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

import re
from uuid import UUID, uuid5

import psycopg
from sqlalchemy import Connection, text

from benchmarks.claims import claim, enroll, institution
from interfaces.bootstrap import build, create_db_engine
from interfaces.demo import load_demo
from interfaces.settings import Settings
from projections.store import events_table

ID = re.compile(rb'"([0-9a-f]{32})"')
COPY_ROWS = 5000


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
