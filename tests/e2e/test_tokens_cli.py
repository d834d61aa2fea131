"""`yibao token issue | list | revoke` against a running service: tokens are shown once, listed
without their secret, and a revoked token stops working within a second (the server
authenticates from memory, kept current from the log)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import httpx
import pytest
from typer.testing import CliRunner

from interfaces.cli import app
from interfaces.cli_service import print_demo_tokens
from tests.e2e.conftest import Api

runner = CliRunner()


@pytest.fixture
def env(api: Api) -> dict[str, str]:
    settings = api.container.settings
    return {
        "YIBAO_DATABASE_URL": settings.resolved_database_url(),
        "YIBAO_DATA_DIR": str(settings.data_dir),
        "YIBAO_ID_SECRET": settings.id_secret.get_secret_value(),
    }


def yibao(env: dict[str, str], *args: str) -> str:
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_token_issued_while_the_server_runs_works_until_it_is_revoked(
    api: Api, env: dict[str, str]
) -> None:
    token = yibao(env, "token", "issue", "--role", "agency", "--name", "运维").strip()
    headers = {"Authorization": f"Bearer {token}"}
    works = api.client.get("/v1/projections", headers=headers)

    listed = yibao(env, "token", "list")
    token_id = next(line.split("\t")[0] for line in listed.splitlines() if "\t运维\t" in line)
    yibao(env, "token", "revoke", token_id)
    revoked = answer_after(1.0, lambda: api.client.get("/v1/projections", headers=headers))

    assert token.startswith("yb_") and len(token) > 40
    assert token not in listed
    assert works.status_code == 200
    assert (revoked.status_code, revoked.json()["code"]) == (401, "UNAUTHORIZED")


def answer_after(seconds: float, ask: Callable[[], httpx.Response]) -> httpx.Response:
    """The answer once it is no longer 200, or the last one after `seconds`."""
    deadline = time.monotonic() + seconds
    while (answer := ask()).status_code == 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    return answer


def test_an_institution_token_needs_a_code_but_no_agreement(api: Api, env: dict[str, str]) -> None:
    token = yibao(env, "token", "issue", "--role", "institution", "--institution", "H99999900001")
    missing = runner.invoke(app, ["token", "issue", "--role", "institution"], env=env)
    unknown_role = runner.invoke(app, ["token", "issue", "--role", "root"], env=env)

    assert token.strip().startswith("yb_")
    assert missing.exit_code == 1 and unknown_role.exit_code == 1


def test_each_demo_start_revokes_the_demo_tokens_of_the_last_one(
    api: Api, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    def start() -> list[str]:
        print_demo_tokens(api.container, "127.0.0.1", 8000)
        printed = capsys.readouterr().out
        return re.findall(r"token: +(yb_\S+)", printed)

    first, second = start(), start()

    def answer(token: str) -> int:
        headers = {"Authorization": f"Bearer {token}"}
        return int(api.client.get("/v1/projections", headers=headers).status_code)

    listed = yibao(env, "token", "list").splitlines()
    demo = [line.split("\t") for line in listed if "\tmake run: " in line]
    assert len(first) == len(second) == 4  # agency, institution, auditor, archivist
    assert [answer(t) for t in first] == [401] * 4
    assert [answer(t) for t in second] == [200] * 4
    assert sorted(fields[-1] for fields in demo) == ["active"] * 4 + ["revoked"] * 4
    assert answer(api.tokens["agency"]) == 200
