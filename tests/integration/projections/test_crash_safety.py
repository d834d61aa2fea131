"""The runner process killed between writing a batch's view rows and committing them loses
nothing and applies nothing twice: restarted, every view equals a fresh rebuild."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from interfaces.bootstrap import Container
from projections.catalog import NAMES
from projections.runtime import STALL_HOOK
from projections.tracking import live
from tests.conftest import Clock
from tests.contract.scenario import rebuilt_snapshot, record_history, runner_for, snapshot

BATCH = 7
# The runner commits a batch of every projection at once: the second batch stalls unwritten.
COMMITS_BEFORE_THE_KILL = 1


def start_runner(container: Container, marker: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "YIBAO_DATABASE_URL": container.settings.resolved_database_url(),
        "YIBAO_DATA_DIR": str(container.settings.data_dir),
        "YIBAO_ID_SECRET": container.settings.id_secret.get_secret_value(),
        STALL_HOOK: f"{COMMITS_BEFORE_THE_KILL}:{marker}",
    }
    command = "from interfaces.cli import main; main()"
    args = [
        sys.executable,
        "-c",
        command,
        "projections",
        "run",
        "--all",
        "--batch-size",
        str(BATCH),
    ]
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for_file(marker: Path, runner: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert runner.poll() is None, runner.stderr.read().decode() if runner.stderr else ""
        assert time.monotonic() < deadline, "the runner never reached the stall point"
        time.sleep(0.02)


def test_runner_killed_inside_a_batch_resumes_and_matches_a_fresh_rebuild(
    container: Container, clock: Clock, tmp_path: Path
) -> None:
    record_history(container.region, clock)
    head = container.region.head()
    marker = tmp_path / "stalled"
    runner = start_runner(container, marker)
    try:
        wait_for_file(marker, runner)
    finally:
        runner.kill()  # SIGKILL: no cleanup, no rollback from the client side
        runner.wait()

    with container.engine.connect() as connection:
        positions = {name: g.position for name, g in live(connection).items()}
    # The second batch was written for every projection, never committed.
    assert set(positions.values()) == {BATCH}
    assert head > BATCH

    runner_for(container, batch_size=BATCH).catch_up()

    for name in NAMES:
        assert snapshot(container.engine, name) == rebuilt_snapshot(container, name), name
