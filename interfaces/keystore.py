"""The per-person key table, in the same database as the events but outside them."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing import persistence
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    LargeBinary,
    MetaData,
    String,
    Table,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import InterfaceError, OperationalError

metadata = MetaData()
PRELOAD_CHUNK = 500

personal_data_keys = Table(
    "personal_data_keys",
    metadata,
    Column("subject_id", String(32), primary_key=True),
    Column("key", LargeBinary, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("destroyed_at", DateTime(timezone=True), nullable=True),
)


class SqlKeyStore:
    """Keys by subject; `destroy` erases the key itself (crypto-shredding) and keeps the row."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._cache: dict[UUID, bytes | None] = {}
        self._lock = threading.Lock()

    def create(self, subject_id: UUID) -> bytes:
        key = AESGCM.generate_key(bit_length=256)
        insert = pg_insert if self._engine.dialect.name == "postgresql" else sqlite_insert
        statement = (
            insert(personal_data_keys)
            .values(subject_id=subject_id.hex, key=key, created_at=datetime.now(UTC))
            .on_conflict_do_nothing(index_elements=["subject_id"])
        )
        with self._writing() as connection:
            connection.execute(statement)
        stored = self._load(subject_id)
        if stored is None:
            raise RuntimeError("the person's key was destroyed")
        return stored

    def get(self, subject_id: UUID) -> bytes | None:
        """The subject's key; None once it is destroyed (remembered: a shredded key never
        comes back) or while no key was created (not remembered: another process may be
        creating it)."""
        if subject_id in self._cache:
            return self._cache[subject_id]
        return self._load(subject_id)

    def preload(self, subject_ids: Iterable[UUID]) -> None:
        """Read the keys of these subjects that are not cached yet with one query per
        500 (the projection runner does, for the aggregates of a batch it is about to
        decode); unknown ids are skipped."""
        wanted = sorted({s for s in subject_ids if s not in self._cache}, key=lambda s: s.hex)
        for start in range(0, len(wanted), PRELOAD_CHUNK):
            chunk = {s.hex: s for s in wanted[start : start + PRELOAD_CHUNK]}
            with self._engine.connect() as connection:
                rows = connection.execute(
                    select(personal_data_keys.c.subject_id, personal_data_keys.c.key).where(
                        personal_data_keys.c.subject_id.in_(list(chunk))
                    )
                ).all()
            with self._lock:
                for subject, key in rows:
                    self._cache[chunk[subject]] = bytes(key) if key is not None else None

    def destroy(self, subject_id: UUID) -> None:
        with self._writing() as connection:
            connection.execute(
                update(personal_data_keys)
                .where(personal_data_keys.c.subject_id == subject_id.hex)
                .where(personal_data_keys.c.key.is_not(None))
                .values(key=None, destroyed_at=datetime.now(UTC))
            )
        with self._lock:
            self._cache[subject_id] = None

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction. The keys live in the event store's database, and a key is
        created while a command's events are encoded, inside its group commit: when the
        database does not answer (unreachable, or an SQLite file locked past the lock
        timeout), that is the event store's own failure, raised as it raises it — the group
        committer then fails the commands queued behind it at once (application/group_commit.py)."""
        try:
            with self._engine.begin() as connection:
                yield connection
        except (OperationalError, InterfaceError) as failed:
            raise persistence.OperationalError(str(failed.orig)) from failed

    def _load(self, subject_id: UUID) -> bytes | None:
        with self._engine.connect() as connection:
            row = connection.execute(
                select(personal_data_keys.c.key).where(
                    personal_data_keys.c.subject_id == subject_id.hex
                )
            ).first()
        if row is None:
            return None
        key = bytes(row.key) if row.key is not None else None
        with self._lock:
            self._cache[subject_id] = key
        return key
