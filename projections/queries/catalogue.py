"""Reading the archive catalogue: records by class, due date and hold; monthly volumes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Connection, Table, and_, exists, or_, select, true

RECORD_FIELDS = (
    "record_no",
    "archive_number",
    "record_class",
    "retention_code",
    "formed_date",
    "due_date",
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


@dataclass(frozen=True)
class RecordRow:
    """One catalogue record; `held` as the active holds decide it when read."""

    record_no: int
    archive_number: str
    record_class: str
    retention_code: str
    formed_date: date
    due_date: date | None  # None: kept permanently
    volume_id: str
    position: int | None  # None: a filed report or chain head, not an event
    aggregate_id: UUID | None
    event_type: str | None
    period: str | None
    digest: str
    held: bool


@dataclass(frozen=True)
class VolumeRow:
    """A monthly volume of one record class (一月一立卷)."""

    volume_id: str
    year: int
    month: int
    record_class: str
    record_count: int
    seal_hash: str
    sealed: bool


def list_records(
    connection: Connection,
    records: Table,
    holds: Mapping[str, Table],
    filters: Mapping[str, Any],
    after: int,
    limit: int,
) -> tuple[list[RecordRow], int | None]:
    """Records in catalogue order after the cursor `after`; permanent records have no due
    date, so `due_before` never lists them. `held` is decided now, from the active holds."""
    held = held_clause(records, holds)
    fields = [records.c[f] for f in RECORD_FIELDS]
    query = select(*fields, held.label("held")).where(records.c.record_no > after)
    if filters.get("record_class") is not None:
        query = query.where(records.c.record_class == filters["record_class"])
    if filters.get("due_before") is not None:
        query = query.where(records.c.due_date < filters["due_before"])
    if filters.get("held") is not None:
        query = query.where(held if filters["held"] else ~held)
    rows = connection.execute(query.order_by(records.c.record_no).limit(limit + 1)).mappings()
    found = [RecordRow(**r) for r in rows]
    more = len(found) > limit
    found = found[:limit]
    return found, found[-1].record_no if more and found else None


def list_volumes(
    connection: Connection, volumes: Table, year: int | None, month: int | None
) -> list[VolumeRow]:
    query = select(*(volumes.c[f] for f in VOLUME_FIELDS))
    if year is not None:
        query = query.where(volumes.c.year == year)
    if month is not None:
        query = query.where(volumes.c.month == month)
    ordered = query.order_by(volumes.c.year, volumes.c.month, volumes.c.record_class)
    return [VolumeRow(**r) for r in connection.execute(ordered).mappings()]


def held_clause(records: Table, holds: Mapping[str, Table]) -> ColumnElement[bool]:
    """Whether an active hold covers the record: by its aggregate, or by a record query
    (`domain.archive_records.RecordScope.covers`, in SQL; a contract test pins the two together)."""
    hold, listed = holds["holds"], holds["hold_aggregates"]
    by_aggregate = and_(
        hold.c.by_aggregates,
        exists()
        .where(listed.c.hold_id == hold.c.hold_id, listed.c.aggregate_id == records.c.aggregate_id)
        .correlate_except(listed),
    )
    by_query = and_(
        ~hold.c.by_aggregates,
        *scope_match(
            records,
            holds["owners"],
            record_class=hold.c.record_class,
            since=hold.c.since,
            until=hold.c.until,
            person_id=hold.c.person_id,
            institution_code=hold.c.institution_code,
        ),
    )
    return exists().where(hold.c.active, or_(by_aggregate, by_query))


def scope_match(records: Table, owners: Table, **criteria: Any) -> list[ColumnElement[bool]]:
    """The conditions of a record query; each criterion a value (None: any) or a column of
    the holds table (NULL: any)."""
    tests: dict[str, Callable[[Any], ColumnElement[bool]]] = {
        "record_class": lambda v: records.c.record_class == v,
        "since": lambda v: records.c.formed_date >= v,
        "until": lambda v: records.c.formed_date <= v,
        "person_id": lambda v: _owned(records, owners, owners.c.person_id == v),
        "institution_code": lambda v: _owned(records, owners, owners.c.institution_code == v),
    }
    found: list[ColumnElement[bool]] = []
    for name, value in criteria.items():
        if isinstance(value, ColumnElement):
            found.append(or_(value.is_(None), tests[name](value)))
        elif value is not None:
            found.append(tests[name](value))
    return found or [true()]


def _owned(records: Table, owners: Table, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    # Correlated with the records (and a hold) of the enclosing query, however deep.
    owned = exists().where(owners.c.aggregate_id == records.c.aggregate_id, condition)
    return owned.correlate_except(owners)


def aggregates_in_scope(
    connection: Connection, records: Table, owners: Table, criteria: Mapping[str, Any]
) -> list[Any]:
    """The aggregates with at least one record matching a record query (for a disposal
    proposed by query: the application checks every record of each)."""
    query = (
        select(records.c.aggregate_id)
        .where(records.c.aggregate_id.is_not(None), *scope_match(records, owners, **criteria))
        .group_by(records.c.aggregate_id)
        .order_by(records.c.aggregate_id)
    )
    return [row[0] for row in connection.execute(query)]
