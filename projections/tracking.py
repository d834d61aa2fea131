"""Where each projection is: its live generation, and each generation's log position.

`projection_registry` names the generation the queries read (and one being rebuilt, if
any); `projection_tracking` holds each generation's position, written in the same
transaction as the view rows it covers — that is what makes the views exactly-once — and
the last failure: the error and the position of the event it stopped at, until the
generation moves past it.
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
    bindparam,
    case,
    select,
    tuple_,
    update,
)

from projections.sqltypes import LongText, UtcDateTime

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
    Column("error", LongText),
    Column("error_position", BigInteger),
)

ERROR_TEXT_LIMIT = 2000


@dataclass(frozen=True)
class Generation:
    """One generation of a projection and the position it has reached."""

    projection: str
    generation: int
    position: int
    last_progress_at: datetime | None = None
    error: str | None = None
    error_position: int | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


def live(connection: Connection, names: list[str] | None = None) -> dict[str, Generation]:
    """The live generation of each registered projection (of `names`, if given)."""
    query = select(
        registry.c.projection,
        registry.c.live_generation,
        tracking.c.position,
        tracking.c.last_progress_at,
        tracking.c.error,
        tracking.c.error_position,
    ).join(
        tracking,
        (tracking.c.projection == registry.c.projection)
        & (tracking.c.generation == registry.c.live_generation),
    )
    if names is not None:
        query = query.where(registry.c.projection.in_(names))
    return {
        row.projection: Generation(
            row.projection,
            row.live_generation,
            row.position,
            row.last_progress_at,
            row.error,
            row.error_position,
        )
        for row in connection.execute(query)
    }


def building(connection: Connection, name: str) -> Generation | None:
    row = connection.execute(
        select(
            registry.c.building_generation,
            tracking.c.position,
            tracking.c.last_progress_at,
            tracking.c.error,
            tracking.c.error_position,
        )
        .join(
            tracking,
            (tracking.c.projection == registry.c.projection)
            & (tracking.c.generation == registry.c.building_generation),
        )
        .where(registry.c.projection == name)
    ).first()
    if row is None:
        return None
    return Generation(
        name,
        row.building_generation,
        row.position,
        row.last_progress_at,
        row.error,
        row.error_position,
    )


_this_generation = (tracking.c.projection == bindparam("this_projection")) & (
    tracking.c.generation == bindparam("this_generation")
)
# Built once: these run in every batch's transaction.
_claim = (
    update(tracking)
    .where(_this_generation & (tracking.c.position == bindparam("expected")))
    .values(position=tracking.c.position)
)
_passed = tracking.c.error_position <= bindparam("reached", type_=BigInteger)
_advance = (
    update(tracking)
    .where(_this_generation)
    .values(
        position=bindparam("reached", type_=BigInteger),
        last_progress_at=bindparam("at", type_=UtcDateTime),
        error=case((_passed, None), else_=tracking.c.error),
        error_position=case((_passed, None), else_=tracking.c.error_position),
    )
)


def _of(target: Generation) -> dict[str, object]:
    return {"this_projection": target.projection, "this_generation": target.generation}


def claim(connection: Connection, target: Generation) -> bool:
    """Lock the generation's tracking row if it is still at `target.position`.

    The no-op update opens the write transaction (SQLite) or takes the row lock (PostgreSQL)
    before any view row is touched; a second runner on the same projection then finds the
    position moved and backs off instead of applying the same events twice.
    """
    result = connection.execute(_claim, _of(target) | {"expected": target.position})
    return result.rowcount == 1


def advance(connection: Connection, target: Generation, position: int, at: datetime) -> None:
    """Move the generation to `position`; a failure it has now moved past is cleared."""
    connection.execute(_advance, _of(target) | {"reached": position, "at": at})


def claim_all(connection: Connection, targets: list[Generation]) -> bool:
    """`claim` for several generations with one statement: True when every one of them was
    still where its `Generation` says (else some are locked and the caller rolls back)."""
    expected = [(t.projection, t.generation, t.position) for t in targets]
    result = connection.execute(
        update(tracking)
        .where(
            tuple_(tracking.c.projection, tracking.c.generation, tracking.c.position).in_(expected)
        )
        .values(position=tracking.c.position)
    )
    return result.rowcount == len(targets)


def advance_all(
    connection: Connection, targets: list[Generation], position: int, at: datetime
) -> None:
    """`advance` for several generations to the same position, with one statement."""
    passed = tracking.c.error_position <= position
    connection.execute(
        update(tracking)
        .where(
            tuple_(tracking.c.projection, tracking.c.generation).in_(
                [(t.projection, t.generation) for t in targets]
            )
        )
        .values(
            position=position,
            last_progress_at=at,
            error=case((passed, None), else_=tracking.c.error),
            error_position=case((passed, None), else_=tracking.c.error_position),
        )
    )


def fail(connection: Connection, target: Generation, position: int, error: str) -> None:
    """Record that the generation stopped at the event at `position` (shown by `status`),
    unless another runner has moved it past that event meanwhile."""
    connection.execute(
        update(tracking)
        .where(
            (tracking.c.projection == target.projection)
            & (tracking.c.generation == target.generation)
            & (tracking.c.position < position)
        )
        .values(error=error[:ERROR_TEXT_LIMIT], error_position=position)
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
            return Generation(
                name,
                row.generation,
                row.position,
                row.last_progress_at,
                row.error,
                row.error_position,
            )

        live_generation = generation(entry.live_generation)
        if live_generation is not None:
            found[entry.projection] = Registered(
                live_generation, generation(entry.building_generation)
            )
    return found
