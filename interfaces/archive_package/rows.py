"""The stored rows of a window of the log, read for a package: a page at a time, the next
page read on a thread while the caller writes this one (the driver waits without the GIL),
each row laid out for its line of `events.jsonl` (`lines.pieces`).

The query is an open range by position with ORDER BY … LIMIT (read along the index; a
closed range may be planned as a scan of the rest of the window and a sort, a page at a
time). PostgreSQL answers in binary (the stored bytes as they are, not hex-escaped).
Measured at 100,000 events, laying the lines out in SQL (`to_json` of the state) cost the
server more than `pieces` costs here.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
from sqlalchemy import Engine

from interfaces.archive_package.lines import Piece, pieces
from projections.store import events_table

PAGE = 5000
_ROW_SQL = (
    "SELECT {position}, {identity}, originator_version, topic, state FROM {table} "
    "WHERE {position} > {mark} ORDER BY {position} LIMIT {page}"
)


def stored_pages(engine: Engine, first: int, last: int) -> Iterator[list[Piece]]:
    """The stored rows at positions first..last, in log order, a page at a time."""
    table, column = events_table(engine.dialect.name)
    postgresql = engine.dialect.name == "postgresql"
    query = _ROW_SQL.format(
        position=column,
        identity="originator_id::text" if postgresql else "originator_id",
        table=table,
        mark="%s" if postgresql else "?",
        page=PAGE,
    )

    def page(after: int) -> list[Piece]:
        with engine.connect() as connection:
            raw: Any = connection.connection.driver_connection
            if isinstance(raw, psycopg.Connection):
                with raw.cursor(binary=True) as cursor:
                    stored = cursor.execute(query, (after,)).fetchall()
            else:
                stored = raw.execute(query, (after,)).fetchall()
        found = [pieces(*row) for row in stored]
        return found if not found or found[-1][0] <= last else [r for r in found if r[0] <= last]

    with ThreadPoolExecutor(1, thread_name_prefix="yibao-package") as reader:
        pending = reader.submit(page, first - 1)
        while True:
            found = pending.result()
            more = len(found) == PAGE and found[-1][0] < last
            if more:
                pending = reader.submit(page, found[-1][0])
            if found:
                yield found
            if not more:
                return
