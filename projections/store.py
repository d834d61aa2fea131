"""The event store's table as SQL sees it: for the log head without an application object.

The library names it `stored_events` on SQLite (the notification id is the rowid) and
`<application>_events` on PostgreSQL (`notification_id`); the region application is
named "region".
"""

from __future__ import annotations

from sqlalchemy import Connection, text

APPLICATION = "region"


def events_table(dialect: str) -> tuple[str, str]:
    """(table, notification id column) of the region's events."""
    if dialect == "sqlite":
        return "stored_events", "rowid"
    return f"{APPLICATION}_events", "notification_id"


def head(connection: Connection) -> int:
    table, position = events_table(connection.dialect.name)
    found = connection.execute(text(f"SELECT MAX({position}) FROM {table}")).scalar()
    return int(found or 0)
