"""Alembic environment: run the migrations on the connection `interfaces.migrate` passes,
or, when Alembic is run by hand (`alembic -c migrations/alembic.ini upgrade head`), on the
database named by the yibao settings (YIBAO_DATABASE_URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=None, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    given = context.config.attributes.get("connection")
    if given is not None:
        run(given)
        return
    from interfaces.bootstrap import create_db_engine
    from interfaces.settings import Settings

    engine = create_db_engine(Settings())
    try:
        with engine.begin() as connection:
            run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("yibao migrations run online only (they read the projection tables' code)")
run_online()
