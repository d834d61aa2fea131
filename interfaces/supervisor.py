"""The projection runner as a supervised child process of `yibao serve`.

HTTP workers and the runner then use separate interpreters (on two cores, the runner's
catch-up no longer takes the GIL from requests). The child is `yibao projections run --all`
with the same environment; if it dies (a non-zero exit) it is started again after a pause, and
it is stopped (SIGTERM: its current batch finishes) when the server stops, and stops by itself
when the server is gone without stopping it (kill -9): an orphaned runner would go on holding
the database.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading

log = logging.getLogger("yibao.supervisor")
RUNNER_COMMAND = ("-c", "from interfaces.cli import main; main()", "projections", "run", "--all")
SUPERVISOR_PID = "YIBAO_SUPERVISOR_PID"  # set for the child: the process it belongs to
ORPHAN_CHECK_S = 0.5


def stop_when_orphaned(stop: threading.Event) -> None:
    """In a supervised runner: set `stop` once the supervising server is gone."""
    supervisor = os.environ.get(SUPERVISOR_PID)
    if not supervisor:
        return

    def watch() -> None:
        while not stop.wait(ORPHAN_CHECK_S):
            if os.getppid() != int(supervisor):
                log.error("the server that started this runner is gone; stopping")
                stop.set()

    threading.Thread(target=watch, name="yibao-orphan-watch", daemon=True).start()


class SupervisedRunner:
    def __init__(self, restart_after: float = 2.0) -> None:
        self._restart_after = restart_after
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(
            target=self._supervise, name="yibao-supervisor", daemon=True
        )
        self._thread.start()

    @property
    def pid(self) -> int | None:
        with self._lock:
            return self._process.pid if self._process else None

    def _supervise(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                environment = {**os.environ, SUPERVISOR_PID: str(os.getpid())}
                self._process = subprocess.Popen([sys.executable, *RUNNER_COMMAND], env=environment)
                process = self._process
            code = process.wait()
            if self._stopping.is_set() or code == 0:
                return  # stopped by us, or by the terminal's Ctrl-C with the server
            log.error("the projection runner exited with %s; starting it again", code)
            self._stopping.wait(self._restart_after)

    def stop(self, timeout: float = 15.0) -> None:
        self._stopping.set()
        with self._lock:
            process = self._process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._thread.join(timeout)
