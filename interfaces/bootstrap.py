"""The composition root: one `Settings` in, the region application and its database out.

The HTTP app factory and the CLI both call `build()`. Nothing connects at import time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from application.core import utc_now
from application.policy_files import load_policy_book
from application.region import Region
from interfaces.id_secret import id_secret
from interfaces.keystore import CACHE_SIZE, SqlKeyStore
from interfaces.recorders import RECORDER_TOPICS
from interfaces.settings import Settings
from projections.catalog import build_projections
from projections.log import EventLog, SqlEventLog
from projections.queries import Views
from projections.runtime import BATCH_SIZE, Background, Runner

_log = logging.getLogger(__name__)
# A process that only follows the log (`yibao projections run | rebuild`) needs a key for the
# events of one page at a time, read with one query per 500 subjects (`SqlEventLog.prepare`):
# a small cache serves it as well as the server's and keeps its memory flat however long the
# log (docs/performance.md).
READ_SIDE_KEY_CACHE = 20_000


@dataclass
class Container:
    settings: Settings
    region: Region
    engine: Engine
    keys: SqlKeyStore
    # The read side, on the same engine (same database as the events).
    log: EventLog = field(init=False)
    views: Views = field(init=False)
    _forgetting: threading.Event = field(init=False, default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.log = event_log(self)
        self.views = Views(
            self.engine, self.log, policies=self.region.policies, clock=self.region.clock
        )

    def close(self) -> None:
        self._forgetting.set()
        self.region.close()
        self.engine.dispose()

    def start_forgetting(self, interval: float = 0.5) -> None:
        """Catch up with disposals approved by other processes every `interval` seconds
        (reads of personal data also catch up first): cached keys and decrypted aggregates
        of disposed subjects go at once (application/forgetting.py)."""

        def follow() -> None:
            while not self._forgetting.wait(interval):
                try:
                    self.region.forget_disposed()
                except Exception as failed:  # a database hiccup: try again next time
                    _log.warning("catching up with disposals failed: %s", type(failed).__name__)

        threading.Thread(target=follow, name="yibao-forget", daemon=True).start()


def event_store_env(settings: Settings) -> dict[str, str]:
    """The eventsourcing library's configuration for the configured database."""
    url = make_url(settings.resolved_database_url())
    if url.get_backend_name() == "sqlite":
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "APPLICATION_RECORDER_TOPIC": RECORDER_TOPICS["sqlite"],
            "SQLITE_DBNAME": url.database or "",
            "SQLITE_LOCK_TIMEOUT": str(settings.sqlite_lock_timeout),
        }
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "APPLICATION_RECORDER_TOPIC": RECORDER_TOPICS["postgres"],
        "POSTGRES_DBNAME": url.database or "",
        "POSTGRES_HOST": url.host or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": url.username or "postgres",
        "POSTGRES_PASSWORD": url.password or "",
        "POSTGRES_POOL_SIZE": str(settings.postgres_pool_size),
        # Never enable the insert functions: they drop the table lock (gaps, lost events).
        "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
    }


def sqlalchemy_url(settings: Settings) -> str:
    url = make_url(settings.resolved_database_url())
    if url.get_backend_name() == "sqlite":
        return url.render_as_string(hide_password=False)
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def create_db_engine(settings: Settings) -> Engine:
    """The SQLAlchemy engine for views and keys, on the same database as the events."""
    url = sqlalchemy_url(settings)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": settings.sqlite_lock_timeout})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_size=settings.postgres_pool_size, pool_pre_ping=True)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def build(
    settings: Settings | None = None,
    *,
    clock: Callable[[], datetime] = utc_now,
    create_tables: bool = False,
    key_cache: int = CACHE_SIZE,
) -> Container:
    """`key_cache`: personal-data keys kept in memory (`READ_SIDE_KEY_CACHE` for a process
    that only follows the log)."""
    settings = settings or Settings()
    if not settings.is_postgres:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    secret = id_secret(settings)
    engine = create_db_engine(settings)
    keys = SqlKeyStore(engine, cache_size=key_cache)
    env = event_store_env(settings) | {"CREATE_TABLE": "y" if create_tables else "n"}
    region = Region(
        env,
        keys=keys,
        policies=load_policy_book(settings.policy_dir),
        id_secret=secret,
        region_code=settings.region_code,
        clock=clock,
    )
    return Container(settings, region, engine, keys)


def event_log(container: Container) -> EventLog:
    """The read side's port to the region's log: the event store's table on the views'
    engine, decoded by the region's mapper (which unseals personal data with the key store)."""
    mapper = container.region.mapper

    def decode(originator_id: UUID, version: int, topic: str, state: bytes) -> Any:
        return mapper.to_domain_event(StoredEvent(originator_id, version, topic, state))

    return SqlEventLog(
        container.engine, decode, preload=partial(container.keys.preload, final=True)
    )


def build_runner(
    container: Container, names: list[str] | None = None, *, batch_size: int = BATCH_SIZE
) -> Runner:
    """A runner for the projections named (all when None) of the container's region."""
    return Runner(
        event_log(container),
        container.engine,
        build_projections(container.settings.region_code, names),
        batch_size=batch_size,
    )


def start_projections(container: Container, names: list[str] | None = None) -> Background:
    """Follow the log in a background thread (for `yibao serve`); `.stop()` ends it."""
    return Background(build_runner(container, names))
