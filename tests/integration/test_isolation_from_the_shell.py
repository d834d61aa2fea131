"""`make test` passes whatever the operator's shell holds: tests are isolated from every
ambient `YIBAO_*` variable (issue #8, item 10)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PG_ADMIN_URL

ROOT = Path(__file__).parents[2]
# What an operator's shell may hold: the README tells them to set the secret for PostgreSQL.
OPERATOR_SHELL = {
    "YIBAO_ID_SECRET": "an-operators-own-secret",
    "YIBAO_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/operators_db",
    "YIBAO_REGION_CODE": "440000",
    "YIBAO_DATA_DIR": "/nonexistent/operator/var",
    "YIBAO_POLICY_DIR": "/nonexistent/operator/policies",
    "YIBAO_SQLITE_LOCK_TIMEOUT": "not-a-number",
}
SETTINGS_DEPENDENT = [
    "tests/integration/test_settings.py",
    "tests/e2e/test_persons_over_http.py::test_person_refusals_carry_their_codes",
    "tests/integration/test_cli_demo.py::test_demo_prints_the_worked_examples_and_succeeds_twice",
]


def test_no_yibao_variable_of_the_shell_reaches_a_test() -> None:
    assert [name for name in os.environ if name.startswith("YIBAO_")] == []


def test_the_settings_dependent_tests_pass_under_an_operators_shell(tmp_path: Path) -> None:
    env = {**os.environ, **OPERATOR_SHELL, "YIBAO_TEST_PG_ADMIN_URL": PG_ADMIN_URL}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SETTINGS_DEPENDENT],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "failed" not in done.stdout
