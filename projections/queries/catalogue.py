"""Reading the archive catalogue: records by class, due date and hold; monthly volumes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Table, select

RECORD_FIELDS = (
    "record_no",
    "archive_number",
    "record_class",
    "retention_code",
    "formed_date",
    "due_date",
    "held",
    "volume_id",
    "position",
    "aggregate_id",
    "event_type",
    "period",
    "digest",
)
VOLUME_FIELDS = (
    "volume_id",
    "year",
    "month",
    "record_class",
    "record_count",
    "seal_hash",
    "sealed",
)


def list_records(
    connection: Connection, records: Table, filters: Mapping[str, Any], after: int, limit: int
) -> tuple[list[dict[str, Any]], int | None]:
    """Records in catalogue order after the cursor `after`; permanent records have no due
    date, so `due_before` never lists them."""
    query = select(*(records.c[f] for f in RECORD_FIELDS)).where(records.c.record_no > after)
    if filters.get("record_class") is not None:
        query = query.where(records.c.record_class == filters["record_class"])
    if filters.get("due_before") is not None:
        query = query.where(records.c.due_date < filters["due_before"])
    if filters.get("held") is not None:
        query = query.where(records.c.held == filters["held"])
    rows = connection.execute(query.order_by(records.c.record_no).limit(limit + 1)).mappings()
    found = [dict(r) for r in rows]
    more = len(found) > limit
    found = found[:limit]
    return found, found[-1]["record_no"] if more and found else None


def list_volumes(
    connection: Connection, volumes: Table, year: int | None, month: int | None
) -> list[dict[str, Any]]:
    query = select(*(volumes.c[f] for f in VOLUME_FIELDS))
    if year is not None:
        query = query.where(volumes.c.year == year)
    if month is not None:
        query = query.where(volumes.c.month == month)
    ordered = query.order_by(volumes.c.year, volumes.c.month, volumes.c.record_class)
    return [dict(r) for r in connection.execute(ordered).mappings()]
