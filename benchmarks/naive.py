"""The same-run baseline: the library's naive loop — one `Application.save()` of a new
one-event aggregate per request, from as many threads as the scenario has clients."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from eventsourcing.domain import event

from domain.audit import Audit, recorded_as
from domain.base import YibaoAggregate
from interfaces.bootstrap import build
from interfaces.settings import Settings

T = TypeVar("T")
BENCH_AUDIT = Audit("bench", "system")


class Ping(YibaoAggregate):
    """The smallest aggregate the region can store: one event, one field."""

    @event("Pinged")
    def __init__(self, n: int) -> None:
        self.n = n


def naive_saves_per_s(settings: Settings, *, clients: int, count: int) -> float:
    """Saves per second of `count` new Ping aggregates from `clients` threads."""
    container = build(settings)
    region = container.region

    def save(n: int) -> None:
        with recorded_as(BENCH_AUDIT, region.clock()):
            ping = Ping(n=n)
        region.save(ping)

    try:
        elapsed, _ = concurrently(save, range(count), clients)
    finally:
        container.close()
    return count / elapsed


def concurrently(
    work: Callable[[T], object], items: Iterable[T], clients: int
) -> tuple[float, list[float]]:
    """Run `work` on every item from `clients` threads; (elapsed seconds, each call's seconds).
    The first exception of any thread is raised after all have stopped."""
    queue = iter(list(items))
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[BaseException] = []

    def client() -> None:
        while not failures:
            with lock:
                item = next(queue, _END)
            if item is _END:
                return
            started = time.perf_counter()
            try:
                work(item)  # type: ignore[arg-type]
            except BaseException as failure:
                failures.append(failure)
                return
            latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise failures[0]
    return elapsed, latencies


_END = object()


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered)) - 1))
    return ordered[rank]
