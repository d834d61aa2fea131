"""Writing a batch's rows: COPY on PostgreSQL, whatever the row count.

A batch of a rebuild changes thousands of rows per table. Sent as an executemany, each row is
a statement the server parses, plans and acknowledges; sent by COPY (into the table, or for
rows that may replace others into a staging table merged with one `INSERT … ON CONFLICT`),
the server does that once per table. Values go through the columns'
own bind processing first (NUL-free text, decimal strings, UTC instants, JSON), so a row is
stored exactly as a row-by-row insert would store it. SQLite has no arrays and no round
trips (it is a library in the process): it keeps the executemany.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from sqlalchemy import Column, Connection, Table

Row = dict[str, Any]

_processors: dict[Table, list[Callable[[Any], Any] | None]] = {}


def write_copy(connection: Connection, table: Table, rows: Sequence[Row], upsert: bool) -> None:
    """Insert `rows` with COPY (replacing rows with the same primary key when `upsert`, through
    a staging table of the same shape); PostgreSQL only."""
    quote = connection.dialect.identifier_preparer.quote
    columns: list[Column[Any]] = list(table.columns)
    names = ", ".join(quote(c.name) for c in columns)
    target = quote(table.name)
    if not upsert:
        _copy(connection, f"{target} ({names})", table, rows)
        return
    stage = quote(f"stage_{table.name}")
    connection.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {target}) ON COMMIT DELETE ROWS"
    )
    _copy(connection, f"{stage} ({names})", table, rows)
    connection.exec_driver_sql(_merge(connection, table, stage, names))


def _copy(connection: Connection, into: str, table: Table, rows: Sequence[Row]) -> None:
    processors = _processors.get(table)
    if processors is None:
        processors = _processors[table] = [
            c.type.bind_processor(connection.dialect) for c in table.columns
        ]
    names = [c.name for c in table.columns]
    plan = list(zip(names, processors, strict=True))
    raw = connection.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    with raw.cursor() as cursor, cursor.copy(f"COPY {into} FROM STDIN") as copy:
        for row in rows:
            copy.write_row([process(row.get(n)) if process else row.get(n) for n, process in plan])


def _merge(connection: Connection, table: Table, stage: str, names: str) -> str:
    quote = connection.dialect.identifier_preparer.quote
    keys = [c.name for c in table.primary_key.columns]
    others = [c.name for c in table.columns if c.name not in keys]
    conflict = ", ".join(quote(k) for k in keys)
    action = (
        "DO UPDATE SET " + ", ".join(f"{quote(n)} = EXCLUDED.{quote(n)}" for n in others)
        if others
        else "DO NOTHING"
    )
    # Emptying the stage in the same statement: a second flush in this transaction starts clean.
    return (
        f"WITH moved AS (DELETE FROM {stage} RETURNING {names}) "
        f"INSERT INTO {quote(table.name)} ({names}) SELECT {names} FROM moved "
        f"ON CONFLICT ({conflict}) {action}"
    )
