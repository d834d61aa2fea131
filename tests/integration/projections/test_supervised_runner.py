"""`yibao serve` runs the projection runner as a child process: it brings the views to new
commands, and is started again when it dies."""

from __future__ import annotations

import os
import signal
import time

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
