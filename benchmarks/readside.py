"""What the read-side scenarios share: fresh generations, timed catch-ups, peak memory."""

from __future__ import annotations

import resource
import time

from interfaces.bootstrap import Container
from interfaces.parallel_rebuild import rebuild_in_parallel
from interfaces.settings import Settings
from projections.catalog import build_projections
from projections.rebuild import start_generation, switch
from projections.runtime import Runner


def fresh_generations(container: Container, names: list[str] | None = None) -> None:
    """Make an empty generation of each projection live (as a first build would find it)."""
    with container.engine.begin() as connection:
        for projection in build_projections(container.region.region_code, names):
            fresh = start_generation(connection, projection)
            switch(connection, projection, fresh.generation)


def catch_up_rate(
    container: Container,
    batch_size: int,
    *,
    names: list[str] | None = None,
    upto: int | None = None,
) -> tuple[int, float]:
    """(events read, events per second) for the projections to go from position 0 to the
    head (or `upto`) in batches of `batch_size` events."""
    fresh_generations(container, names)
    projections = build_projections(container.region.region_code, names)
    runner = Runner(container.log, container.engine, projections, batch_size=batch_size)
    started = time.perf_counter()
    events = runner.catch_up(upto=upto)
    return events, events / (time.perf_counter() - started)


def parallel_rebuild_rate(settings: Settings, workers: int, page: int) -> float:
    """Events per second of `yibao projections rebuild --all --workers N` over the whole log
    (a new generation of every projection beside the live one)."""
    started = time.perf_counter()
    built = rebuild_in_parallel(settings, workers=workers, batch_size=page)
    return max(g.position for g in built.values()) / (time.perf_counter() - started)


def peak_rss_mb() -> float:
    """This process's peak resident set so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
