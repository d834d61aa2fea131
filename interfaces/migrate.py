"""`yibao db upgrade`: create every table yibao owns (Alembic takes over with the views)."""

from __future__ import annotations

from interfaces.bootstrap import build
from interfaces.keystore import metadata
from interfaces.settings import Settings


def upgrade(settings: Settings) -> None:
    container = build(settings, create_tables=True)
    try:
        metadata.create_all(container.engine)
    finally:
        container.close()
