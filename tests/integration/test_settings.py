"""Settings a deployment must get right before anything starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from interfaces.bootstrap import build
from interfaces.settings import ConfigurationError, Settings


def test_postgres_requires_an_id_secret() -> None:
    with pytest.raises(ConfigurationError):
        build(Settings(database_url="postgresql://postgres@127.0.0.1:5432/none"))


def test_the_cli_reports_a_bad_setting_in_one_line_and_exits_non_zero(tmp_path: Path) -> None:
    env = {"YIBAO_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/none", "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", "from interfaces.cli import main; main()", "demo"],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "yibao: YIBAO_ID_SECRET must be set to a secret of your own for PostgreSQL"
    ]


def test_the_embedded_database_defaults_to_a_file_under_var(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var")
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path / 'var' / 'yibao.sqlite'}"


def test_the_data_directory_is_fixed_when_the_settings_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(data_dir=Path("var"))
    monkeypatch.chdir("/")  # as bagit does while it writes a bag

    assert settings.data_dir == tmp_path / "var"
