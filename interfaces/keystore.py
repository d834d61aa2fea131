"""The per-person key table, in the same database as the events but outside them."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
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
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import InterfaceError, OperationalError

metadata = MetaData()
PRELOAD_CHUNK = 500
# Keys kept in memory (a settlement has one of its own): about 120 bytes each.
CACHE_SIZE = 200_000

personal_data_keys = Table(
    "personal_data_keys",
    metadata,
    Column("subject_id", String(32), primary_key=True),
    Column("key", LargeBinary, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("destroyed_at", DateTime(timezone=True), nullable=True),
)


class SqlKeyStore:
    """Keys by subject; `destroy` erases the key itself (crypto-shredding) and keeps the row.

    The keys in use are cached (bounded, least recently used first out); a destroyed key is
    cached as None, and read back as None from its row once it has left the cache."""

    def __init__(self, engine: Engine, cache_size: int = CACHE_SIZE) -> None:
        self._engine = engine
        self._cache: OrderedDict[UUID, bytes | None] = OrderedDict()
        self._cache_size = cache_size
        self._reserved: dict[UUID, bytes] = {}
        self._lock = threading.Lock()

    def create(self, subject_id: UUID) -> bytes:
        self.create_many([subject_id])
        stored = self.get(subject_id)
        if stored is None:
            raise RuntimeError("the subject's key was destroyed")
        return stored

    def create_many(self, subject_ids: Sequence[UUID]) -> None:
        """Make sure each subject has a key, with one statement for all that are not cached
        (the group committer calls it for the new settlements of a batch before writing).
        A subject that already has a row keeps its stored key (or stays destroyed)."""
        wanted = {s.hex: s for s in subject_ids if s not in self._cache}
        if not wanted:
            return
        now = datetime.now(UTC)
        fresh = {hex_: AESGCM.generate_key(bit_length=256) for hex_ in sorted(wanted)}
        insert = pg_insert if self._engine.dialect.name == "postgresql" else sqlite_insert
        statement = (
            insert(personal_data_keys)
            .values([{"subject_id": h, "key": k, "created_at": now} for h, k in fresh.items()])
            .on_conflict_do_nothing(index_elements=["subject_id"])
            .returning(personal_data_keys.c.subject_id)
        )
        with self._writing() as connection:
            if self._engine.dialect.name == "postgresql":
                # No flush of its own: the events that use these keys commit after them, and
                # their flush makes this transaction durable too (the WAL is written in order).
                connection.execute(text("SET LOCAL synchronous_commit = off"))
            inserted = set(connection.execute(statement).scalars())
        with self._lock:
            for hex_ in inserted:
                self._keep(wanted[hex_], fresh[hex_])
        existing = [wanted[hex_] for hex_ in wanted if hex_ not in inserted]
        if existing:
            self.preload(existing)

    def reserve(self, subject_ids: Sequence[UUID]) -> dict[UUID, bytes]:
        """New keys, in memory only, for those of these subjects that have none here: the
        events that seal with them write them in their own transaction (interfaces/recorders.py).
        Only sealing sees them (`for_sealing`) until `confirm`; `release` forgets them."""
        with self._lock:
            made = {
                s: AESGCM.generate_key(bit_length=256)
                for s in subject_ids
                if s not in self._cache and s not in self._reserved
            }
            self._reserved.update(made)
        return made

    def confirm(self, keys: Mapping[UUID, bytes]) -> None:
        with self._lock:
            for subject, key in keys.items():
                self._reserved.pop(subject, None)
                self._keep(subject, key)

    def release(self, keys: Mapping[UUID, bytes]) -> None:
        with self._lock:
            for subject in keys:
                self._reserved.pop(subject, None)

    def for_sealing(self, subject_id: UUID) -> bytes:
        """The key to seal a subject's data with: a reserved one, the stored one, or a new one."""
        reserved = self._reserved.get(subject_id)
        if reserved is not None:
            return reserved
        return self.get(subject_id) or self.create(subject_id)

    def get(self, subject_id: UUID) -> bytes | None:
        """The subject's key; None once it is destroyed (remembered: a shredded key never
        comes back) or while no key was created (not remembered: another process may be
        creating it)."""
        with self._lock:
            if subject_id in self._cache:
                self._cache.move_to_end(subject_id)
                return self._cache[subject_id]
        return self._load(subject_id)

    def preload(self, subject_ids: Iterable[UUID], *, final: bool = False) -> None:
        """Read the keys of these subjects that are not cached yet with one query per
        500. A subject without a row is skipped, unless `final`: the projection runner asks
        for the subjects of committed events, and a key is always committed with or before
        the first event sealed with it (interfaces/recorders.py), so such a subject will never
        have one (a copied benchmark log, a subject that never had personal data): it is
        remembered as None instead of being asked for again at every event."""
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
                    self._keep(chunk[subject], bytes(key) if key is not None else None)
                if final:
                    for missing in chunk.keys() - {subject for subject, _ in rows}:
                        self._keep(chunk[missing], None)

    def destroy(self, subject_id: UUID) -> None:
        with self._writing() as connection:
            connection.execute(
                update(personal_data_keys)
                .where(personal_data_keys.c.subject_id == subject_id.hex)
                .where(personal_data_keys.c.key.is_not(None))
                .values(key=None, destroyed_at=datetime.now(UTC))
            )
        with self._lock:
            self._keep(subject_id, None)

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction. The keys live in the event store's database, and a person's
        key is created while the command's events are encoded, inside its group commit: when
        the database does not answer (unreachable, or an SQLite file locked past the lock
        timeout), that is the event store's own failure, raised as it raises it — the group
        committer then fails the commands queued behind it at once
        (application/group_commit.py)."""
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
            self._keep(subject_id, key)
        return key

    def _keep(self, subject_id: UUID, key: bytes | None) -> None:
        """Cache a key (the lock held)."""
        self._cache[subject_id] = key
        self._cache.move_to_end(subject_id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
