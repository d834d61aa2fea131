"""Blue/green rebuild: build the next generation of a projection beside the live one.

1. Register generation n+1 as "building", create its tables, track it at position 0. A
   build that was abandoned (interrupted, killed) is resumed from its tracking position
   instead — unless its tables are no longer the ones the code defines: then it is dropped
   and started again.
2. Catch it up from the start of the log in large batches — the live generation keeps
   serving queries and following the log meanwhile.
3. When it has reached the head, switch: in one transaction the registry names it live,
   and the old generation's tracking row and tables are dropped. A live runner then
   continues the new generation from where the rebuild left it.

A projection that keeps evidence of the stored bytes (the audit trail's chain, the
catalogue's record digests) is not switched when the new generation disagrees with the
live one over the positions both have read: the event store changed after the live one
read it, and dropping it would erase the proof. The rebuild is refused (`EvidenceDiffers`,
naming the first differing position), the live generation stays, the new one is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, inspect, select, update

from projections import tracking
from projections.projection import ViewProjection, tables_of
from projections.runtime import Runner
from projections.store import head
from projections.tracking import Generation, registry

REBUILD_BATCH_SIZE = 5000
Progress = Callable[[int, int], None]


class EvidenceDiffers(RuntimeError):
    """The rebuilt generation's hashes differ from the live one's at `position`."""

    def __init__(self, projection: str, position: int) -> None:
        super().__init__(
            f"the rebuilt {projection} differs from the live one at position {position}: "
            "the event store changed after the live generation read it. The live generation "
            "stays (it is the evidence); run `yibao audit verify`."
        )
        self.projection = projection
        self.position = position

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.projection, self.position))


def rebuild(
    runner: Runner,
    name: str,
    *,
    progress: Progress | None = None,
    batch_size: int = REBUILD_BATCH_SIZE,
) -> Generation:
    """Build a new generation of `name` from position 0 and make it the live one."""
    return rebuild_together(runner, [name], progress=progress, batch_size=batch_size)[name]


def rebuild_together(
    runner: Runner,
    names: Sequence[str],
    *,
    progress: Progress | None = None,
    batch_size: int = REBUILD_BATCH_SIZE,
) -> dict[str, Generation]:
    """Build a new generation of each of `names` from position 0, reading the log once for
    all of them (one page, decoded once, applied to every generation in one transaction),
    and make each the live one. Those whose evidence agrees are switched even when another
    is refused (`EvidenceDiffers`, raised at the end, for the first one refused)."""
    projections = [runner.projections[name] for name in names]
    with runner.engine.begin() as connection:
        targets = [start_generation(connection, projection) for projection in projections]
    while True:
        with runner.engine.connect() as connection:
            goal = head(connection)
        reached = min(t.position for t in targets)
        if progress is not None:
            progress(reached, goal)
        if reached >= goal:
            break
        records = runner.read(reached, batch_size)
        if not records:
            break
        targets = runner.advance(targets, records)
    refused: EvidenceDiffers | None = None
    for projection, target in zip(projections, targets, strict=True):
        with runner.engine.begin() as connection:
            differs = first_difference(connection, projection, target)
            if differs is None:
                switch(connection, projection, target.generation)
            else:
                abandon(connection, projection, target.generation)
                refused = refused or EvidenceDiffers(projection.name, differs)
    if refused is not None:
        raise refused
    return {t.projection: t for t in targets}


def start_generation(
    connection: Connection, projection: type[ViewProjection] | ViewProjection
) -> Generation:
    row = connection.execute(
        select(registry).where(registry.c.projection == projection.name)
    ).first()
    if row is None:
        # A projection new to this database: its first generation is live from the start.
        connection.execute(insert(registry).values(projection=projection.name, live_generation=1))
        return _create(connection, projection, 1)
    if row.building_generation is not None:
        resumed = tracking.building(connection, projection.name)
        if resumed is not None and not needs_rebuild(connection, projection, resumed.generation):
            return resumed
        _drop(connection, projection, row.building_generation)
    generation = max(row.live_generation, row.building_generation or 0) + 1
    connection.execute(
        update(registry)
        .where(registry.c.projection == projection.name)
        .values(building_generation=generation)
    )
    return _create(connection, projection, generation)


def switch(
    connection: Connection, projection: type[ViewProjection] | ViewProjection, generation: int
) -> None:
    row = connection.execute(select(registry).where(registry.c.projection == projection.name)).one()
    if row.live_generation == generation:
        return
    connection.execute(
        update(registry)
        .where(registry.c.projection == projection.name)
        .values(live_generation=generation, building_generation=None)
    )
    _drop(connection, projection, row.live_generation)


def abandon(
    connection: Connection, projection: type[ViewProjection] | ViewProjection, generation: int
) -> None:
    """Drop a generation being built (never the live one)."""
    row = connection.execute(select(registry).where(registry.c.projection == projection.name)).one()
    if row.live_generation == generation:
        return
    connection.execute(
        update(registry)
        .where(
            (registry.c.projection == projection.name)
            & (registry.c.building_generation == generation)
        )
        .values(building_generation=None)
    )
    _drop(connection, projection, generation)


def first_difference(
    connection: Connection, projection: type[ViewProjection] | ViewProjection, built: Generation
) -> int | None:
    """The first position where the built generation's evidence differs from the live
    one's, over the positions both have read; None when they agree (or keep none)."""
    live = tracking.live(connection, [projection.name]).get(projection.name)
    if live is None or live.generation == built.generation:
        return None
    upto = min(live.position, built.position)
    old = projection.evidence(connection, tables_of(projection, live.generation), upto)
    new = projection.evidence(connection, tables_of(projection, built.generation), upto)
    if old is None or new is None:
        return None
    return _first_unequal(old, new)


def _first_unequal(old: Iterator[tuple[int, str]], new: Iterator[tuple[int, str]]) -> int | None:
    a, b = next(old, None), next(new, None)
    while a is not None or b is not None:
        if a is None or b is None or a[0] != b[0]:
            # A position only one of them holds (an event removed, or one that appeared).
            present = [p[0] for p in (a, b) if p is not None]
            return min(present)
        if a[1] != b[1]:
            return a[0]
        a, b = next(old, None), next(new, None)
    return None


def _create(connection: Connection, projection: Any, generation: int) -> Generation:
    tables = list(tables_of(projection, generation).values())
    tables[0].metadata.create_all(connection, tables=tables)
    connection.execute(
        insert(tracking.tracking).values(
            projection=projection.name, generation=generation, position=0
        )
    )
    return Generation(projection.name, generation, 0)


def _drop(connection: Connection, projection: Any, generation: int) -> None:
    tables = list(tables_of(projection, generation).values())
    tables[0].metadata.drop_all(connection, tables=tables)
    connection.execute(
        delete(tracking.tracking).where(
            (tracking.tracking.c.projection == projection.name)
            & (tracking.tracking.c.generation == generation)
        )
    )


def needs_rebuild(connection: Connection, projection: Any, generation: int) -> bool:
    """True when the generation's tables are not the ones the code defines (a view changed
    its columns since the generation was built): rebuild to apply the change."""
    found = inspect(connection)
    for table in tables_of(projection, generation).values():
        if not found.has_table(table.name):
            return True
        columns = {c["name"] for c in found.get_columns(table.name)}
        if columns != {c.name for c in table.columns}:
            return True
    return False
