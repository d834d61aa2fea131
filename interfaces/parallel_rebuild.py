"""Rebuild several projections at once, in worker processes: the read side's use of the cores.

A rebuild is CPU-bound Python (decoding events, folding them into rows), so threads do not
help. The projections are split into `workers` groups of about equal cost
(`ViewProjection.cost`, measured); each group is rebuilt by a process of its own, which reads
the log once for its group (`projections.rebuild.rebuild_together`). The groups share no
table, so they never wait on each other's rows; on SQLite their commits still take the
database's one write lock in turn.

The parent only waits and reports progress, read from the tracking rows of the generations
being built (the workers write them with every batch).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait

from interfaces.bootstrap import READ_SIDE_KEY_CACHE, build, build_runner
from interfaces.settings import Settings
from projections import tracking
from projections.catalog import build_projections
from projections.projection import ViewProjection
from projections.rebuild import REBUILD_BATCH_SIZE, rebuild_together
from projections.runtime import ProjectionFailed, describe
from projections.store import head
from projections.tracking import Generation

Progress = Callable[[int, int], None]
POLL = 0.5


def default_workers(settings: Settings) -> int:
    """On PostgreSQL one process per core, at most two (measured: ×1.45 with two on two
    cores, docs/projections.md); on SQLite one (measured: two were no faster, their commits
    take the database's one write lock in turn)."""
    if not settings.is_postgres:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def groups_of(projections: Sequence[ViewProjection], workers: int) -> list[list[str]]:
    """Split the projections into at most `workers` groups of about equal cost (greedy:
    the costliest first, each into the cheapest group so far); none is empty."""
    groups: list[tuple[float, list[str]]] = [(0.0, []) for _ in range(max(1, workers))]
    for projection in sorted(projections, key=lambda p: -p.cost):
        lightest = min(range(len(groups)), key=lambda i: groups[i][0])
        cost, names = groups[lightest]
        groups[lightest] = (cost + projection.cost, [*names, projection.name])
    return [names for _, names in groups if names]


def rebuild_in_parallel(
    settings: Settings,
    names: Sequence[str] | None = None,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    batch_size: int = REBUILD_BATCH_SIZE,
) -> dict[str, Generation]:
    """Rebuild the projections named (all when None) with `workers` processes (None: the
    database's default, `default_workers`); returns the generation each made live. Raises
    what a worker raised (`ProjectionFailed`, `EvidenceDiffers`) once every worker has
    stopped."""
    chosen = build_projections(settings.region_code, list(names) if names else None)
    groups = groups_of(chosen, workers or default_workers(settings))
    if len(groups) == 1:
        return _rebuild_group(settings, groups[0], batch_size, progress)
    context = multiprocessing.get_context("spawn")  # no copied engines or threads
    with ProcessPoolExecutor(len(groups), mp_context=context) as pool:
        futures = [pool.submit(_rebuild_in_worker, settings, group, batch_size) for group in groups]
        _report_until_done(settings, [p.name for p in chosen], futures, progress)
    built: dict[str, Generation] = {}
    for future in futures:
        built |= future.result()  # the first worker's error, if any, is raised here
    return built


def _rebuild_group(
    settings: Settings, names: list[str], batch_size: int, progress: Progress | None
) -> dict[str, Generation]:
    container = build(settings, key_cache=READ_SIDE_KEY_CACHE)
    try:
        runner = build_runner(container, names)
        return rebuild_together(runner, names, progress=progress, batch_size=batch_size)
    finally:
        container.close()


def _rebuild_in_worker(
    settings: Settings, names: list[str], batch_size: int
) -> dict[str, Generation]:
    """`_rebuild_group` in a worker process: what it raises must pickle to reach the parent."""
    try:
        return _rebuild_group(settings, names, batch_size, None)
    except ProjectionFailed as failed:
        raise portable(failed) from None


def portable(failed: ProjectionFailed) -> ProjectionFailed:
    """The failure as it is when it pickles; else with its cause described in a plain error
    (a projection may fail with any exception)."""
    try:
        pickle.loads(pickle.dumps(failed))
    except Exception:
        return ProjectionFailed(
            failed.projection, failed.position, RuntimeError(describe(failed.error))
        )
    return failed


def _report_until_done(
    settings: Settings,
    names: list[str],
    futures: list[Future[dict[str, Generation]]],
    progress: Progress | None,
) -> None:
    """Wait for the workers (until the first error), calling `progress(reached, head)`
    every `POLL` seconds with the least position the generations being built have reached."""
    if progress is None:
        wait(futures, return_when=FIRST_EXCEPTION)
        return
    container = build(settings)
    try:
        while True:
            with container.engine.connect() as connection:
                found = tracking.registered(connection)
                goal = head(connection)
            building = [r.building for n, r in found.items() if n in names and r.building]
            progress(min((g.position for g in building), default=goal), goal)
            done, pending = wait(futures, timeout=POLL, return_when=FIRST_EXCEPTION)
            if not pending or any(f.exception() for f in done):
                return
    finally:
        container.close()
