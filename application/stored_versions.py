"""The newest stored version of several aggregates, with one query (the group committer asks,
after the store refused a batch, which of its commands were decided on stale state)."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder


def stored_versions(recorder: ApplicationRecorder, ids: Collection[UUID]) -> dict[UUID, int]:
    """{aggregate id: its newest stored version} for those of `ids` that have events."""
    if not ids:
        return {}
    if isinstance(recorder, PostgresAggregateRecorder):
        return _postgres(recorder, ids)
    if isinstance(recorder, SQLiteAggregateRecorder):
        return _sqlite(recorder, ids)
    return _one_by_one(recorder, ids)


def _postgres(recorder: PostgresAggregateRecorder, ids: Collection[UUID]) -> dict[UUID, int]:
    from psycopg.sql import SQL, Identifier

    query = SQL(
        "SELECT originator_id, max(originator_version) AS version FROM {schema}.{table} "
        "WHERE originator_id = ANY(%s) GROUP BY originator_id"
    ).format(
        schema=Identifier(recorder.datastore.schema),
        table=Identifier(recorder.events_table_name),
    )
    with recorder.datastore.get_connection() as connection, connection.cursor() as cursor:
        cursor.execute(query, [list(ids)])
        return {UUID(str(row["originator_id"])): row["version"] for row in cursor.fetchall()}


def _sqlite(recorder: SQLiteAggregateRecorder, ids: Collection[UUID]) -> dict[UUID, int]:
    marks = ",".join("?" * len(ids))
    query = (
        f"SELECT originator_id, max(originator_version) FROM {recorder.events_table_name} "
        f"WHERE originator_id IN ({marks}) GROUP BY originator_id"
    )
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(query, [i.hex for i in ids])
        return {UUID(row[0]): row[1] for row in cursor.fetchall()}


def _one_by_one(recorder: ApplicationRecorder, ids: Collection[UUID]) -> dict[UUID, int]:
    found: dict[UUID, int] = {}
    for aggregate_id in ids:
        newest = recorder.select_events(aggregate_id, desc=True, limit=1)
        if newest:
            found[aggregate_id] = newest[0].originator_version
    return found
