"""The runner follows the log live: in the background for `yibao serve`, woken by
PostgreSQL's NOTIFY (the library notifies `region_events` on every insert) or by polling."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from interfaces.bootstrap import Container, build, event_log, start_projections
from interfaces.migrate import upgrade
from interfaces.settings import Settings
from projections.catalog import NAMES, build_projections
from projections.runtime import Background, Runner
from projections.wakeup import Listening
from tests.conftest import Clock, drop_pg_database, settings_for
from tests.contract.scenario import rebuilt_snapshot, record_history, runner_for, snapshot
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
        assert view is not None and view.status == "settled"
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


def test_the_live_runner_on_postgresql_projects_a_new_event_on_its_notification(
    postgres: Settings, clock: Clock
) -> None:
    container = build(postgres, clock=clock)
    region = container.region
    runner = Runner(
        event_log(container),
        container.engine,
        build_projections(region.region_code),
        poll_fallback=60,  # a poll would come far too late: only NOTIFY can wake it in time
    )
    handle = Background(runner)
    try:
        assert container.views.wait_for(0, timeout=10)
        time.sleep(0.3)  # the first catch-up has found nothing: the runner now listens
        position = region.open_fund(
            agency(), scheme="resident", layer="basic", region_code="310000", name="basic"
        ).position
        started = time.monotonic()
        assert container.views.wait_for(position, timeout=5)
        assert time.monotonic() - started < 1.5
    finally:
        handle.stop()
        container.close()


def test_two_runners_at_once_apply_every_event_exactly_once(
    container: Container, clock: Clock
) -> None:
    record_history(container.region, clock)
    runners = [runner_for(container, batch_size=4) for _ in range(2)]
    failures: list[BaseException] = []

    def follow(runner: Runner) -> None:
        try:
            runner.catch_up()
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)

    threads = [threading.Thread(target=follow, args=(r,)) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures
    head = container.region.head()
    assert all(s.position == head for s in container.views.projection_status())
    for name in NAMES:
        assert snapshot(container.engine, name) == rebuilt_snapshot(container, name), name


def test_events_are_decoded_before_the_runner_takes_sqlites_write_lock(
    tmp_path: Path, clock: Clock
) -> None:
    made, _ = settings_for("sqlite", tmp_path)
    upgrade(made)
    container = build(made, clock=clock)
    try:
        region = container.region
        sign(region)
        enroll(region)
        mapper = region.mapper
        decode = mapper.to_domain_event
        writable: list[bool] = []

        def decode_and_try_to_write(stored: Any) -> Any:
            # What a command would need while the runner decodes: the write lock, at once.
            other = sqlite3.connect(tmp_path / "yibao.sqlite", timeout=0)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.rollback()
                writable.append(True)
            except sqlite3.OperationalError:
                writable.append(False)
            finally:
                other.close()
            return decode(stored)

        mapper.to_domain_event = decode_and_try_to_write  # type: ignore[method-assign]
        runner_for(container).catch_up()
    finally:
        container.close()
    assert writable and all(writable)
