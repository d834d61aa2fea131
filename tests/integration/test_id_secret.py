"""No deployment runs on a public HMAC key: with one, a masked ID gives the national ID back in
a fraction of a second. The embedded database makes its own secret once and keeps it."""

from __future__ import annotations

import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pydantic import SecretStr

from interfaces.bootstrap import build
from interfaces.id_secret import PUBLIC_SECRETS, SECRET_FILE, id_secret
from interfaces.migrate import upgrade
from interfaces.settings import ConfigurationError, Settings
from tests.support import national_id


def embedded(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'yibao.sqlite'}", data_dir=tmp_path)


def test_the_embedded_default_makes_a_random_secret_readable_by_its_owner_only(
    tmp_path: Path,
) -> None:
    first = id_secret(embedded(tmp_path))
    again = id_secret(embedded(tmp_path))
    elsewhere = id_secret(embedded(tmp_path / "other"))

    written = tmp_path / SECRET_FILE
    assert first == again != elsewhere
    assert len(first) >= 32 and first.decode() not in PUBLIC_SECRETS
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


def test_person_ids_stay_the_same_across_restarts_of_the_embedded_database(
    tmp_path: Path,
) -> None:
    upgrade(embedded(tmp_path))
    ids = []
    for _ in range(2):
        container = build(embedded(tmp_path))
        ids.append(container.region.person_id_for("resident", national_id(date(1961, 1, 5), 1)))
        container.close()

    assert ids[0] == ids[1]


@pytest.mark.parametrize(
    "url", ["sqlite:///{tmp}/yibao.sqlite", "postgresql://postgres@127.0.0.1:5432/none"]
)
def test_the_public_default_secret_is_refused_everywhere(url: str, tmp_path: Path) -> None:
    for public in sorted(PUBLIC_SECRETS):
        settings = Settings(
            database_url=url.format(tmp=tmp_path), data_dir=tmp_path, id_secret=SecretStr(public)
        )
        with pytest.raises(ConfigurationError, match="published"):
            build(settings)


def test_the_cli_refuses_the_public_default_in_one_line(tmp_path: Path) -> None:
    env = {
        "YIBAO_DATA_DIR": str(tmp_path),
        "YIBAO_ID_SECRET": "demo-only-change-me",
        "PATH": "",
    }
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
        "yibao: YIBAO_ID_SECRET is a published value: set one of your own"
    ]
