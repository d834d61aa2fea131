"""The runner follows the log live: in the background for `yibao serve`, woken by
PostgreSQL's NOTIFY (the library notifies `region_events` on every insert) or by polling."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from interfaces.bootstrap import Container, build, start_projections
from interfaces.migrate import upgrade
from interfaces.settings import Settings
from projections.wakeup import Listening
from tests.conftest import Clock, drop_pg_database, settings_for
from tests.support import agency, claim, enroll, institution, sign


def test_background_runner_brings_every_view_to_a_new_command_within_moments(
    container: Container,
) -> None:
    region = container.region
    sign(region)
    person = enroll(region)
    handle = start_projections(container)
    try:
        assert container.views.wait_for(region.head(), timeout=10)
        settled = region.settle(institution(request_id="REQ-1"), claim(person))
        assert container.views.wait_for(settled.position, timeout=10)
        view = container.views.settlement(settled.settlement_id)
        assert view is not None and view["status"] == "settled"
    finally:
        handle.stop()


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[Settings]:
    made, url = settings_for("postgres", tmp_path)
    upgrade(made)
    try:
        yield made
    finally:
        assert url is not None
        drop_pg_database(url)


def test_a_commit_on_postgresql_wakes_a_listening_runner_before_any_poll(
    postgres: Settings, clock: Clock
) -> None:
    container = build(postgres, clock=clock)
    conninfo = container.engine.url.set(drivername="postgresql")
    listening = Listening(
        conninfo.render_as_string(hide_password=False), "region_events", fallback=60
    )
    stop = threading.Event()
    try:
        writer = threading.Timer(
            0.2,
            lambda: container.region.open_fund(
                agency(), scheme="resident", layer="basic", region_code="310000", name="basic"
            ),
        )
        writer.start()
        started = time.monotonic()
        listening.wait(stop)
        woke_after = time.monotonic() - started
        writer.join()
    finally:
        listening.close()
        container.close()
    assert woke_after < 10  # the fallback poll would have taken 60 s
