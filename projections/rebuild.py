"""Blue/green rebuild: build the next generation of a projection beside the live one.

1. Register generation n+1 as "building", create its tables, track it at position 0
   (leftovers of an abandoned build are dropped first).
2. Catch it up from the start of the log in large batches — the live generation keeps
   serving queries and following the log meanwhile.
3. When it has reached the head, switch: in one transaction the registry names it live,
   and the old generation's tracking row and tables are dropped. A live runner then
   continues the new generation from where the rebuild left it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, delete, insert, inspect, select, update

from projections import tracking
from projections.projection import ViewProjection, tables_of
from projections.runtime import Runner
from projections.store import head
from projections.tracking import Generation, registry

REBUILD_BATCH_SIZE = 1000
Progress = Callable[[int, int], None]


def rebuild(
    runner: Runner,
    name: str,
    *,
    progress: Progress | None = None,
    batch_size: int = REBUILD_BATCH_SIZE,
) -> Generation:
    """Build a new generation of `name` from position 0 and make it the live one."""
    projection = runner.projections[name]
    with runner.engine.begin() as connection:
        target = start_generation(connection, projection)
    while True:
        with runner.engine.connect() as connection:
            goal = head(connection)
        if progress is not None:
            progress(target.position, goal)
        if target.position >= goal:
            break
        records = runner.read(target.position, batch_size)
        if not records:
            break
        moved = runner.apply(target, records)
        if moved is None:
            raise RuntimeError(f"another process is building {name} generation {target.generation}")
        target = moved
    with runner.engine.begin() as connection:
        switch(connection, projection, target.generation)
    return target


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
