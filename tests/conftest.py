"""Fixtures shared by every suite: backends, a settable clock, the region application.

Every test that takes `settings`, `container` or `region` runs once on SQLite and once on
PostgreSQL. PostgreSQL databases are created per test and dropped after; if PostgreSQL does
not answer, the tests fail — they never skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
from pydantic import SecretStr

from application.personal_data import InMemoryKeyStore
from application.policy_files import load_policy_book
from application.region import Region
from interfaces.bootstrap import Container, build
from interfaces.migrate import upgrade
from interfaces.settings import Settings

PG_ADMIN_URL = os.environ.get(
    "YIBAO_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", "postgres"]
TEST_SECRET = "test-only-secret"
AMBIENT_PREFIX = "YIBAO_"


def pytest_configure(config: pytest.Config) -> None:
    """Tests build their own settings: no ambient `YIBAO_*` variable (an operator's shell, as
    the README has them set it for PostgreSQL) reaches a test, an in-process CLI call or a
    subprocess it starts. The PostgreSQL admin URL was read above, before this clears it."""
    for name in [n for n in os.environ if n.startswith(AMBIENT_PREFIX)]:
        del os.environ[name]


class Clock:
    """A clock the test moves by hand (the region never reads the real time in tests)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))


def create_pg_database() -> str:
    name = f"yibao_test_{uuid4().hex[:16]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def settings_for(backend: str, tmp_path: Path) -> tuple[Settings, str | None]:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'yibao.sqlite'}"
        return Settings(database_url=url, data_dir=tmp_path, id_secret=SecretStr(TEST_SECRET)), None
    url = create_pg_database()
    return Settings(database_url=url, data_dir=tmp_path, id_secret=SecretStr(TEST_SECRET)), url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(backend: str, tmp_path: Path) -> Iterator[Settings]:
    configured, pg_url = settings_for(backend, tmp_path)
    upgrade(configured)
    try:
        yield configured
    finally:
        if pg_url:
            drop_pg_database(pg_url)


@pytest.fixture
def container(settings: Settings, clock: Clock) -> Iterator[Container]:
    built = build(settings, clock=clock)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def region(container: Container) -> Region:
    return container.region


@pytest.fixture
def memory_region(clock: Clock) -> Iterator[Region]:
    """The region on in-memory persistence: for application rules that need no database."""
    app = Region(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"},
        keys=InMemoryKeyStore(),
        policies=load_policy_book(),
        id_secret=b"test-secret",
        region_code="310000",
        clock=clock,
    )
    yield app
    app.close()
