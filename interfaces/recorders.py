"""The library's recorders, writing the keys of new settlements in the events' transaction.

A settlement's health data is sealed under a key of its own (`application/personal_data.py`).
The group committer generates the keys of a batch's new settlements in memory and hands them to
`EventStore.put(..., new_keys=…)`; these recorders insert them through the library's
`_insert_events` hook, in the same transaction (and, on PostgreSQL, the same pipeline) as the
events: one commit and one flush for both, and never a key without its events nor events
without their key.

A key row can only exist before its settlement's first event when an earlier release created
it in a transaction of its own that the events then missed: such an unused key is replaced.
A destroyed key is never replaced (and the settlement it belonged to exists, so the insert of
its first event fails anyway).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from eventsourcing.utils import get_topic
from psycopg import Cursor
from psycopg.rows import DictRow

_UPSERT = (
    "INSERT INTO personal_data_keys (subject_id, key, created_at) VALUES ({marks}) "
    "ON CONFLICT (subject_id) DO UPDATE SET key = excluded.key, created_at = excluded.created_at "
    "WHERE personal_data_keys.destroyed_at IS NULL"
)


def _rows(new_keys: Mapping[UUID, bytes]) -> list[tuple[str, bytes, datetime]]:
    now = datetime.now(UTC)
    return [(subject.hex, key, now) for subject, key in sorted(new_keys.items())]


class KeyedSQLiteRecorder(SQLiteApplicationRecorder):
    writes_new_keys = True

    def _insert_events(
        self,
        c: SQLiteCursor,
        stored_events: Any,
        *,
        new_keys: Mapping[UUID, bytes] | None = None,
        **kwargs: Any,
    ) -> Any:
        if new_keys:
            # As SQLAlchemy writes a DateTime on SQLite (interfaces/keystore.py reads it).
            rows = [(h, k, t.strftime("%Y-%m-%d %H:%M:%S.%f")) for h, k, t in _rows(new_keys)]
            c.executemany(_UPSERT.format(marks="?, ?, ?"), rows)
        return super()._insert_events(c, stored_events, **kwargs)


class KeyedPostgresRecorder(PostgresApplicationRecorder):
    writes_new_keys = True

    def _insert_events(
        self,
        curs: Cursor[DictRow],
        stored_events: Any,
        *,
        new_keys: Mapping[UUID, bytes] | None = None,
        **kwargs: Any,
    ) -> None:
        if new_keys:
            curs.executemany(_UPSERT.format(marks="%s, %s, %s"), _rows(new_keys))
        super()._insert_events(curs, stored_events, **kwargs)


RECORDER_TOPICS = {
    "sqlite": get_topic(KeyedSQLiteRecorder),
    "postgres": get_topic(KeyedPostgresRecorder),
}
