"""Alembic environment: run the migrations on the connection `interfaces.migrate` passes
(`yibao db upgrade`), or, when Alembic is run by hand, on the database named on its command
line: `alembic -c migrations/alembic.ini -x url=postgresql+psycopg://… upgrade head`.

The migrations know nothing of yibao's settings or code: each revision holds its own DDL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=None, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    given = context.config.attributes.get("connection")
    if given is not None:
        run(given)
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("name the database: alembic -x url=… upgrade head (or yibao db upgrade)")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("yibao migrations run online only")
run_online()
