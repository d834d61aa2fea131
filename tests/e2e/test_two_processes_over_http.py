"""Two service processes on one database settle claims for the same persons at the same time,
over HTTP: every claim is settled once and each person's accumulators are exactly the sum of
what was settled (the second settlement of a person never works from a stale year).

On PostgreSQL one database; on SQLite one file the two processes (and their projection
runners) share: each service watches the file for a write lock held by another process with
nothing committed (an outage, answered 503 within API.md's 2 s), and the other processes'
ordinary writes, however they contend for the lock, are never taken for one — every answer is
a 201, none a 503."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from pydantic import SecretStr

from interfaces.bootstrap import build
from interfaces.migrate import upgrade
from interfaces.settings import Settings
from tests.conftest import BACKENDS, TEST_SECRET, create_pg_database, drop_pg_database
from tests.soak import HOSPITAL, Server, claim, yibao
from tests.support import enroll, sign

CLAIMS_PER_PERSON = 24


@pytest.fixture(params=BACKENDS)
def shared_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    sqlite = request.param == "sqlite"
    url = f"sqlite:///{tmp_path / 'yibao.sqlite'}" if sqlite else create_pg_database()
    settings = Settings(database_url=url, data_dir=tmp_path, id_secret=SecretStr(TEST_SECRET))
    upgrade(settings)
    try:
        yield settings
    finally:
        if not sqlite:
            drop_pg_database(url)


def test_two_processes_settle_for_the_same_persons_with_exact_accumulators(
    shared_database: Settings, tmp_path: Path
) -> None:
    container = build(shared_database)
    region = container.region
    sign(region)
    people = [enroll(region, date(1950 + n, 3, 4)) for n in range(3)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("YIBAO_")}
    env |= {
        "YIBAO_DATABASE_URL": shared_database.resolved_database_url(),
        "YIBAO_DATA_DIR": str(tmp_path),
        "YIBAO_ID_SECRET": TEST_SECRET,
    }
    token = yibao(env, "token", "issue", "--role", "institution", "--institution", HOSPITAL)
    servers = [Server(env, tmp_path / f"serve-{n}.log") for n in range(2)]
    bodies = [
        (servers[n % 2], claim(f"TWO-{n:04d}", str(people[n % 3]), f"{50 + n * 7}.00"))
        for n in range(CLAIMS_PER_PERSON * 3)
    ]
    headers = {"Authorization": f"Bearer {token.strip()}"}

    def settle(target: tuple[Server, dict[str, object]]) -> httpx.Response:
        server, body = target
        return httpx.post(
            f"{server.base_url}/v1/settlements", json=body, headers=headers, timeout=60
        )

    try:
        for server in servers:
            server.start()
        with ThreadPoolExecutor(12) as pool:
            answers = list(pool.map(settle, bodies))
    finally:
        for server in servers:
            server.stop()

    assert [a.status_code for a in answers] == [201] * len(bodies), answers[0].text
    for person in people:
        mine = [
            a.json()
            for (_, b), a in zip(bodies, answers, strict=True)
            if b["person_id"] == str(person)
        ]
        year = region.person(UUID(str(person)), 2026)
        assert len(mine) == CLAIMS_PER_PERSON
        assert year.fund_paid_basic == sum(Decimal(r["basic_fund_pay"]) for r in mine)
        assert year.fund_paid_major == sum(Decimal(r["major_fund_pay"]) for r in mine)
    container.close()
