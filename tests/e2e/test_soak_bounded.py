"""The bounded form of `make soak`, on PostgreSQL (a private cluster the soak starts itself on
a loopback port): a few hundred settlements retried by request id through one kill -9 of the
server and one restart of the database; nothing acknowledged lost, nothing settled twice, the
views equal a rebuild and the chain verifies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
BOUNDED = ["--requests", "200", "--kills", "1", "--restarts", "1", "--concurrency", "8"]
BOUNDED += ["--persons", "10", "--seconds", "600"]


def test_a_kill_and_a_database_restart_lose_and_duplicate_nothing() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.soak", *BOUNDED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )

    report = dict(line.split(None, 1) for line in done.stdout.splitlines() if line and " " in line)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (report["kills"], report["restarts"]) == ("1", "1")
    assert (report["lost"], report["duplicated"]) == ("0", "0")
    assert report["acknowledged"] == "200 of 200"
    assert (report["views"], report["chain"]) == ("equal a rebuild", "verifies")
