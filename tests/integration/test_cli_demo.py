"""`yibao demo` checks DOMAIN.md's figures against the configured database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from application.policy_files import POLICY_DIRECTORY
from interfaces.cli import app
from interfaces.settings import Settings


def run(settings: Settings, *args: str, policy_dir: Path | None = None) -> tuple[int, str]:
    env = {
        "YIBAO_DATABASE_URL": settings.resolved_database_url(),
        "YIBAO_ID_SECRET": settings.id_secret.get_secret_value(),
    }
    if policy_dir is not None:
        env["YIBAO_POLICY_DIR"] = str(policy_dir)
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_demo_prints_the_worked_examples_and_succeeds_twice(settings: Settings) -> None:
    code, output = run(settings, "demo")
    assert code == 0, output
    assert "650.00" in output and "17 figures match DOMAIN.md" in output
    code, output = run(settings, "demo", "--load-only")
    assert (code, output.strip()) == (0, "demo region loaded: 17 figures match DOMAIN.md")


def test_demo_fails_when_the_policy_gives_other_figures(settings: Settings, tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    shutil.copytree(POLICY_DIRECTORY, policies)
    demo = policies / "demo-2026.toml"
    demo.write_text(demo.read_text().replace('1 = "0.65"', '1 = "0.66"', 1))
    code, output = run(settings, "demo", policy_dir=policies)
    assert code == 1
    assert "differ from DOMAIN.md" in output


@pytest.mark.parametrize("command", [["db", "upgrade"]])
def test_db_upgrade_is_idempotent(settings: Settings, command: list[str]) -> None:
    assert run(settings, *command)[0] == 0
    assert run(settings, *command)[0] == 0
