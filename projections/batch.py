"""The view changes of one batch of events, written in the batch's one transaction.

A projection reads and changes rows by primary key through `Batch`; rows are cached for the
whole batch and written once at the end (one upsert per changed row), so a catch-up of
thousands of events costs a few statements per touched row instead of several per event.
Money is summed in Python as `Decimal` — SQL arithmetic on SQLite's TEXT money would go
through floating point.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Table, and_, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

Row = dict[str, Any]
Key = tuple[Any, ...]


class Batch:
    def __init__(self, connection: Connection, tables: Mapping[str, Table]) -> None:
        self.connection = connection
        self.tables = tables
        self._rows: dict[tuple[str, Key], Row | None] = {}
        self._changed: dict[str, dict[Key, Row]] = {}
        self._appended: dict[str, list[Row]] = {}

    def get(self, table: str, *key: Any) -> Row | None:
        """The row with this primary key as the batch sees it (a copy), or None."""
        slot = (table, key)
        if slot not in self._rows:
            self._rows[slot] = self._load(self.tables[table], key)
        row = self._rows[slot]
        return dict(row) if row is not None else None

    def put(self, table: str, row: Row) -> None:
        """Insert or replace the row (identified by its primary key columns)."""
        key = tuple(row[c.name] for c in self.tables[table].primary_key.columns)
        self._rows[(table, key)] = dict(row)
        self._changed.setdefault(table, {})[key] = dict(row)

    def append(self, table: str, row: Row) -> None:
        """Insert a row that is never changed afterwards (append-only tables)."""
        self._appended.setdefault(table, []).append(dict(row))

    def flush(self) -> int:
        """Write every change; returns the number of rows written."""
        written = 0
        for name, rows in self._appended.items():
            self.connection.execute(insert(self.tables[name]), rows)
            written += len(rows)
        for name, changed in self._changed.items():
            written += self._upsert(self.tables[name], changed.values())
        self._appended.clear()
        self._changed.clear()
        return written

    def _load(self, table: Table, key: Key) -> Row | None:
        columns = list(table.primary_key.columns)
        condition = and_(*(c == v for c, v in zip(columns, key, strict=True)))
        found = self.connection.execute(select(table).where(condition)).mappings().first()
        return dict(found) if found is not None else None

    def _upsert(self, table: Table, rows: Iterable[Row]) -> int:
        listed = list(rows)
        dialect = self.connection.dialect.name
        statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
        keys = [c.name for c in table.primary_key.columns]
        others = [c.name for c in table.columns if c.name not in keys]
        upsert = (
            statement.on_conflict_do_update(
                index_elements=keys, set_={c: statement.excluded[c] for c in others}
            )
            if others
            else statement.on_conflict_do_nothing(index_elements=keys)
        )
        self.connection.execute(upsert, listed)
        return len(listed)
