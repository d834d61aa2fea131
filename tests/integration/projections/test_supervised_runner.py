"""`yibao serve` runs the projection runner as a child process: it brings the views to new
commands, and is started again when it dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from interfaces.bootstrap import Container
from interfaces.supervisor import SupervisedRunner
from tests.support import claim, enroll, institution, sign


def _environment(container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = container.settings
    monkeypatch.setenv("YIBAO_DATABASE_URL", settings.resolved_database_url())
    monkeypatch.setenv("YIBAO_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("YIBAO_ID_SECRET", settings.id_secret.get_secret_value())


def test_the_runner_process_follows_the_log_and_is_restarted_after_a_kill(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    _environment(container, monkeypatch)
    region = container.region
    sign(region)
    person = enroll(region)
    runner = SupervisedRunner(restart_after=0.1)
    try:
        first = region.settle(institution(request_id="REQ-1"), claim(person))
        assert container.views.wait_for(first.position, timeout=60)
        killed = runner.pid
        assert killed is not None
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while runner.pid in (killed, None) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert runner.pid not in (killed, None)
        second = region.settle(institution(request_id="REQ-2"), claim(person))
        assert container.views.wait_for(second.position, timeout=60)
        assert container.views.settlement(second.settlement_id) is not None
    finally:
        runner.stop()


def test_the_runner_process_stops_by_itself_when_its_server_is_killed(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    _environment(container, monkeypatch)
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(Path.cwd())},
    )
    try:
        assert server.stdout is not None
        runner = int(server.stdout.readline())
        server.kill()  # kill -9: the supervisor never stops its child
        server.wait()
        deadline = time.monotonic() + 30
        while _alive(runner) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(runner)
    finally:
        server.kill()
        server.wait()
        if server.stdout is not None:
            server.stdout.close()


SERVER = """
import time
from interfaces.supervisor import SupervisedRunner
runner = SupervisedRunner()
while runner.pid is None:
    time.sleep(0.01)
print(runner.pid, flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie waiting for init is gone too
        return stat.read().split(") ")[1][0] != "Z"
