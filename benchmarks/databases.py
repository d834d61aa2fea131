"""A fresh, migrated database for one benchmark run, dropped afterwards (SQLite or PostgreSQL).

PostgreSQL is reached at `YIBAO_BENCH_PG_ADMIN_URL` (or the tests' admin URL, or the local
default); each run creates its own database, so benchmarks never touch real data.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

import psycopg
from pydantic import SecretStr

from interfaces.migrate import upgrade
from interfaces.settings import Settings

BACKENDS = ("sqlite", "postgres")
BENCH_SECRET = "bench-only-secret"


def pg_admin_url() -> str:
    return os.environ.get(
        "YIBAO_BENCH_PG_ADMIN_URL",
        os.environ.get("YIBAO_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )


@contextmanager
def fresh_database(backend: str) -> Iterator[Settings]:
    """Settings for an empty database with every table, removed when the block ends."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}")
    with tempfile.TemporaryDirectory(prefix="yibao-bench-") as tmp:
        if backend == "sqlite":
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
            settings = Settings(database_url=url, data_dir=Path(tmp))
            upgrade(settings)
            yield settings
            return
        admin = pg_admin_url()
        name = f"yibao_bench_{uuid4().hex[:12]}"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        url = admin.rsplit("/", 1)[0] + f"/{name}"
        try:
            settings = Settings(
                database_url=url, data_dir=Path(tmp), id_secret=SecretStr(BENCH_SECRET)
            )
            upgrade(settings)
            yield settings
        finally:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(settings: Settings) -> dict[str, str]:
    """The `YIBAO_*` variables a child process (`yibao serve`) needs for the same database
    (without a configured secret, the child reads the one generated in the same data dir)."""
    variables = {
        "YIBAO_DATABASE_URL": settings.resolved_database_url(),
        "YIBAO_DATA_DIR": str(settings.data_dir),
    }
    if settings.id_secret is not None:
        variables["YIBAO_ID_SECRET"] = settings.id_secret.get_secret_value()
    return variables
