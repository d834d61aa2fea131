"""A projection rebuilt from position 0 in large batches equals the one that followed the log
live, one small batch at a time — for every projection, on both backends."""

from __future__ import annotations

import pytest

from interfaces.bootstrap import Container, event_log
from projections import batch
from projections.catalog import NAMES, build_projections
from projections.rebuild import rebuild
from projections.runtime import Runner
from projections.tracking import building
from tests.conftest import Clock
from tests.contract.scenario import (
    projected_history,
    rebuilt_snapshot,
    record_history,
    runner_for,
    snapshot,
)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("copy_from", [batch.COPY_FROM, 1], ids=["as-configured", "all-by-copy"])
def test_rebuild_equals_live(
    container: Container, clock: Clock, name: str, copy_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also with every table's changes written by COPY (on PostgreSQL; SQLite has none)."""
    monkeypatch.setattr(batch, "COPY_FROM", copy_from)
    region = container.region
    live = Runner(
        event_log(container),
        container.engine,
        build_projections(region.region_code, [name]),
        batch_size=3,
    )
    record_history(region, clock, after_each=live.catch_up)
    followed = snapshot(container.engine, name)
    assert any(followed.values())

    rebuilt = rebuilt_snapshot(container, name)

    assert rebuilt == followed


class Interrupted(Exception):
    pass


def test_an_abandoned_rebuild_resumes_from_its_tracked_position(
    container: Container, clock: Clock
) -> None:
    projected_history(container, clock)
    followed = snapshot(container.engine, "persons")
    runner = runner_for(container)
    seen: list[int] = []

    def stop_after_a_batch(position: int, goal: int) -> None:
        if position > 0:
            raise Interrupted
        seen.append(position)

    with pytest.raises(Interrupted):
        rebuild(runner, "persons", progress=stop_after_a_batch, batch_size=5)
    with container.engine.connect() as connection:
        abandoned = building(connection, "persons")
    assert abandoned is not None and abandoned.position == 5

    resumed: list[int] = []
    built = rebuild(runner, "persons", progress=lambda p, _: resumed.append(p), batch_size=5)

    assert resumed[0] == 5  # not 0: the abandoned build went on
    assert built.generation == abandoned.generation == 2
    assert snapshot(container.engine, "persons") == followed
