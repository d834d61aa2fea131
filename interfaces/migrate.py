"""`yibao db upgrade`: migrate the configured database to the newest schema (Alembic).

Alembic owns every table yibao creates — the event store, the personal data keys, the
projection tracking and the views — so the application itself never creates tables. The
configuration file is found next to the migrations, whatever the current directory is.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

import migrations
from interfaces.bootstrap import create_db_engine
from interfaces.settings import Settings

# `__path__`, not `__file__`: an editable install may present the folder as a namespace.
MIGRATIONS = Path(next(iter(migrations.__path__))).resolve()


def alembic_config() -> Config:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Migrate the database of `settings` to `revision` (default: the newest)."""
    if not settings.is_postgres:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_db_engine(settings)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def current_revision(settings: Settings) -> str | None:
    engine = create_db_engine(settings)
    try:
        with engine.connect() as connection:
            revision: str | None = MigrationContext.configure(connection).get_current_revision()
            return revision
    finally:
        engine.dispose()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
