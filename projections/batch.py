"""The view changes of one batch of events, written in the batch's one transaction.

A projection reads and changes rows by primary key through `Batch`; rows are cached for the
whole batch and written once at the end (one upsert per changed row), so a catch-up of
thousands of events costs a few statements per touched table instead of several per event.
Money is summed in Python as `Decimal` — SQL arithmetic on SQLite's TEXT money would go
through floating point.

Reads are prefetched: `run` applies the batch's events once in a *dry pass* where every row
not yet loaded reads as absent and is only noted; the noted keys are then loaded with one
`IN (...)` query per table, and the pass repeats (a key may depend on a row read before it,
e.g. a settlement's institution and year) until a pass reads nothing new. That last pass
saw the database exactly as a row-by-row run would have, so its changes are the ones
written. A dry pass's changes are thrown away.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Connection, Table, Uuid, and_, bindparam, insert, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from projections.sqltypes import clean_text
from projections.writes import write_copy

Row = dict[str, Any]
Key = tuple[Any, ...]

PREFETCH_CHUNK = 500
# A projection whose keys depend on each other deeper than this reads the rest row by row.
MAX_DRY_PASSES = 6
# Below this many events, reading row by row costs no more than the dry passes.
PREFETCH_FROM = 4
# From this many rows a table's changes go by COPY (PostgreSQL); fewer (live mode, a few
# events) by one executemany, which costs one round trip instead of three.
COPY_FROM = 64


Seen = dict[tuple[str, Key], "Row | None"]


class Batch:
    def __init__(
        self, connection: Connection, tables: Mapping[str, Table], seen: Seen | None = None
    ) -> None:
        """`seen`: rows known to be in the database as they are (the previous batch's, when
        nobody has written these tables since); the batch reads them from memory."""
        self.connection = connection
        self.tables = tables
        self._loaded: Seen = seen if seen is not None else {}  # the database, as read
        self._rows: dict[tuple[str, Key], Row] = {}  # this pass's own changes
        self._changed: dict[str, dict[Key, Row]] = {}
        self._appended: dict[str, list[Row]] = {}
        self._noted: dict[str, set[Key]] | None = None  # a dry pass: rows it could not see
        self._keys = {name: _key_columns(table) for name, table in tables.items()}
        self._stored_keys: dict[tuple[str, Key], Key] = {}

    def get(self, table: str, *key: Any) -> Row | None:
        """The row with this primary key as the batch sees it (a copy), or None."""
        slot = (table, self._key(table, key))
        if slot in self._rows:
            return dict(self._rows[slot])
        if slot not in self._loaded:
            if self._noted is not None:
                self._noted.setdefault(table, set()).add(slot[1])
                return None
            self._loaded[slot] = self._load_one(table, slot[1])
        row = self._loaded[slot]
        return dict(row) if row is not None else None

    def put(self, table: str, row: Row) -> None:
        """Insert or replace the row (identified by its primary key columns)."""
        names, _ = self._keys[table]
        key = self._key(table, tuple(map(row.__getitem__, names)))
        stored = dict(row)  # never handed out: `get` returns copies
        self._rows[(table, key)] = stored
        self._changed.setdefault(table, {})[key] = stored

    def append(self, table: str, row: Row) -> None:
        """Insert a row that is never changed afterwards (append-only tables)."""
        self._appended.setdefault(table, []).append(dict(row))

    def run(
        self,
        apply: Callable[[], None],
        events: int = PREFETCH_FROM,
        known: Mapping[str, Iterable[Key]] | None = None,
    ) -> None:
        """Apply the batch (`apply` runs its `events` through the projection) with its reads
        prefetched — `known`: keys to read before the first pass; an error of the exact pass
        propagates. A batch of a few events reads row by row."""
        if events < PREFETCH_FROM:
            apply()
            return
        if known:
            self.prefetch(
                {name: [self._key(name, k) for k in keys] for name, keys in known.items()}
            )
        for _ in range(MAX_DRY_PASSES):
            self._discard()
            self._noted = {}
            failure: Exception | None = None
            try:
                apply()
            except Exception as error:
                failure = error
            noted, self._noted = self._noted, None
            if not noted:
                if failure is not None:
                    raise failure
                return  # the pass read nothing it had not loaded: its changes stand
            self.prefetch(noted)
        self._discard()
        apply()

    def prefetch(self, keys: Mapping[str, Iterable[Key]]) -> None:
        """Load these rows (absent ones as None) with one query per table and chunk."""
        for name, wanted in keys.items():
            todo = [k for k in wanted if (name, k) not in self._loaded]
            for start in range(0, len(todo), PREFETCH_CHUNK):
                self._load_many(name, todo[start : start + PREFETCH_CHUNK])

    @property
    def seen(self) -> Seen:
        """After `flush`: every row this batch read or wrote, as the database now holds it."""
        return self._loaded

    def flush(self) -> int:
        """Write every change; returns the number of rows written."""
        written = 0
        for name, rows in self._appended.items():
            self._write(self.tables[name], rows, upsert=False)
            written += len(rows)
        for name, changed in self._changed.items():
            self._write(self.tables[name], list(changed.values()), upsert=True)
            written += len(changed)
        self._loaded.update(self._rows)
        self._rows.clear()
        self._appended.clear()
        self._changed.clear()
        return written

    # --- reading -------------------------------------------------------------------------

    def _discard(self) -> None:
        self._rows.clear()
        self._changed.clear()
        self._appended.clear()

    def _key(self, table: str, key: Key) -> Key:
        """The key as the database gives it back (so prefetched rows are found again)."""
        if str not in map(type, key):  # the common case (ids, numbers, dates), at C speed
            return key
        slot = (table, key)
        stored = self._stored_keys.get(slot)  # the same few codes and periods, again and again
        if stored is None:
            _, columns = self._keys[table]
            stored = tuple(_as_stored(c, v) for c, v in zip(columns, key, strict=True))
            self._stored_keys[slot] = stored
        return stored

    def _load_one(self, name: str, key: Key) -> Row | None:
        table = self.tables[name]
        names, columns = self._keys[name]
        statement = _by_key.get(table)
        if statement is None:
            condition = and_(*(c == bindparam(f"key_{c.name}", type_=c.type) for c in columns))
            statement = _by_key[table] = select(table).where(condition)
        values = {f"key_{n}": v for n, v in zip(names, key, strict=True)}
        found = self.connection.execute(statement, values).mappings().first()
        return dict(found) if found is not None else None

    def _load_many(self, name: str, keys: Sequence[Key]) -> None:
        table = self.tables[name]
        names, columns = self._keys[name]
        if len(columns) == 1:
            condition = columns[0].in_([k[0] for k in keys])
        else:
            condition = tuple_(*columns).in_(keys)
        for name_key in keys:
            self._loaded[(name, name_key)] = None
        for found in self.connection.execute(select(table).where(condition)).mappings():
            row = dict(found)
            self._loaded[(name, self._key(name, tuple(row[n] for n in names)))] = row

    def _write(self, table: Table, rows: list[Row], *, upsert: bool) -> None:
        if not rows:
            return
        dialect = self.connection.dialect.name
        if dialect == "postgresql" and len(rows) >= COPY_FROM:
            write_copy(self.connection, table, rows, upsert)
        elif upsert:
            self.connection.execute(upsert_of(table, dialect), rows)
        else:
            self.connection.execute(insert(table), rows)


_upserts: dict[tuple[str, Table], Any] = {}
_by_key: dict[Table, Any] = {}


def upsert_of(table: Table, dialect: str) -> Any:
    """INSERT … ON CONFLICT (primary key) DO UPDATE of every other column; built once per
    table (building it costs as much as running it)."""
    found = _upserts.get((dialect, table))
    if found is None:
        statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
        keys = [c.name for c in table.primary_key.columns]
        others = [c.name for c in table.columns if c.name not in keys]
        found = _upserts[(dialect, table)] = (
            statement.on_conflict_do_update(
                index_elements=keys, set_={c: statement.excluded[c] for c in others}
            )
            if others
            else statement.on_conflict_do_nothing(index_elements=keys)
        )
    return found


def _key_columns(table: Table) -> tuple[tuple[str, ...], tuple[Column[Any], ...]]:
    columns = tuple(table.primary_key.columns)
    return tuple(c.name for c in columns), columns


def _as_stored(column: Column[Any], value: Any) -> Any:
    if isinstance(value, str):
        if isinstance(column.type, Uuid):
            return UUID(value)
        return clean_text(value)
    return value
