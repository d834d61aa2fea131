"""Where each projection is: its live generation, and each generation's log position.

`projection_registry` names the generation the queries read (and one being rebuilt, if
any); `projection_tracking` holds each generation's position, written in the same
transaction as the view rows it covers — that is what makes the views exactly-once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    select,
    update,
)

from projections.sqltypes import UtcDateTime

metadata = MetaData()

registry = Table(
    "projection_registry",
    metadata,
    Column("projection", String(64), primary_key=True),
    Column("live_generation", Integer, nullable=False),
    Column("building_generation", Integer),
)

tracking = Table(
    "projection_tracking",
    metadata,
    Column("projection", String(64), primary_key=True),
    Column("generation", Integer, primary_key=True, autoincrement=False),
    Column("position", BigInteger, nullable=False),
    Column("last_progress_at", UtcDateTime),
)


@dataclass(frozen=True)
class Generation:
    """One generation of a projection and the position it has reached."""

    projection: str
    generation: int
    position: int
    last_progress_at: datetime | None = None


def live(connection: Connection, names: list[str] | None = None) -> dict[str, Generation]:
    """The live generation of each registered projection (of `names`, if given)."""
    query = select(
        registry.c.projection,
        registry.c.live_generation,
        tracking.c.position,
        tracking.c.last_progress_at,
    ).join(
        tracking,
        (tracking.c.projection == registry.c.projection)
        & (tracking.c.generation == registry.c.live_generation),
    )
    if names is not None:
        query = query.where(registry.c.projection.in_(names))
    return {
        row.projection: Generation(
            row.projection, row.live_generation, row.position, row.last_progress_at
        )
        for row in connection.execute(query)
    }


def building(connection: Connection, name: str) -> Generation | None:
    row = connection.execute(
        select(registry.c.building_generation, tracking.c.position, tracking.c.last_progress_at)
        .join(
            tracking,
            (tracking.c.projection == registry.c.projection)
            & (tracking.c.generation == registry.c.building_generation),
        )
        .where(registry.c.projection == name)
    ).first()
    if row is None:
        return None
    return Generation(name, row.building_generation, row.position, row.last_progress_at)


def claim(connection: Connection, target: Generation) -> bool:
    """Lock the generation's tracking row if it is still at `target.position`.

    The no-op update opens the write transaction (SQLite) or takes the row lock (PostgreSQL)
    before any view row is touched; a second runner on the same projection then finds the
    position moved and backs off instead of applying the same events twice.
    """
    result = connection.execute(
        update(tracking)
        .where(
            (tracking.c.projection == target.projection)
            & (tracking.c.generation == target.generation)
            & (tracking.c.position == target.position)
        )
        .values(position=tracking.c.position)
    )
    return result.rowcount == 1


def advance(connection: Connection, target: Generation, position: int, at: datetime) -> None:
    connection.execute(
        update(tracking)
        .where(
            (tracking.c.projection == target.projection)
            & (tracking.c.generation == target.generation)
        )
        .values(position=position, last_progress_at=at)
    )


@dataclass(frozen=True)
class Registered:
    """A projection's live generation and the one being rebuilt, if any."""

    live: Generation
    building: Generation | None


def registered(connection: Connection) -> dict[str, Registered]:
    rows = connection.execute(select(tracking)).all()
    positions = {(r.projection, r.generation): r for r in rows}
    found = {}
    for entry in connection.execute(select(registry)).all():

        def generation(number: int | None, name: str = entry.projection) -> Generation | None:
            row = positions.get((name, number)) if number is not None else None
            if row is None:
                return None
            return Generation(name, row.generation, row.position, row.last_progress_at)

        live_generation = generation(entry.live_generation)
        if live_generation is not None:
            found[entry.projection] = Registered(
                live_generation, generation(entry.building_generation)
            )
    return found
