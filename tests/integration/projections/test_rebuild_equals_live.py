"""A projection rebuilt from position 0 in large batches equals the one that followed the log
live, one small batch at a time — for every projection, on both backends."""

from __future__ import annotations

import pytest

from interfaces.bootstrap import Container
from projections.catalog import NAMES, build_projections
from projections.runtime import Runner
from tests.conftest import Clock
from tests.contract.scenario import rebuilt_snapshot, record_history, snapshot


@pytest.mark.parametrize("name", NAMES)
def test_rebuild_equals_live(container: Container, clock: Clock, name: str) -> None:
    region = container.region
    live = Runner(
        region, container.engine, build_projections(region.region_code, [name]), batch_size=3
    )
    record_history(region, clock, after_each=live.catch_up)
    followed = snapshot(container.engine, name)
    assert any(followed.values())

    rebuilt = rebuilt_snapshot(container, name)

    assert rebuilt == followed
