"""Read-your-writes cannot be turned against the writes: a position beyond the log's head is
refused at once, and readers waiting for the views leave the threads commands need free."""

from __future__ import annotations

import threading
import time

import httpx

from interfaces.bootstrap import Container
from interfaces.http.app import create_app
from tests.e2e.conftest import Api, issue_tokens, serving
from tests.e2e.scenario import AGREEMENT_BODY, head

WAITERS = 120


def test_a_position_beyond_the_head_is_refused_at_once(api: Api) -> None:
    answers = [
        api.get(path, role="auditor", min_position=head(api) + 1)
        for path in ("/v1/projections", "/v1/audit/events")
    ]

    assert [(a.status_code, a.json()["field"]) for a in answers] == [(422, "min_position")] * 2


def test_readers_waiting_for_lagging_views_do_not_hold_back_a_command(
    container: Container,
) -> None:
    """No projection runner follows this log, so every waiting reader waits its full time."""
    tokens = issue_tokens(container)
    agency = {"Authorization": f"Bearer {tokens['agency']}"}
    done_waiting: list[float] = []
    lock = threading.Lock()

    def wait(client: httpx.Client) -> None:
        client.get(
            "/v1/projections", params={"min_position": container.region.head()}, headers=agency
        )
        with lock:
            done_waiting.append(time.monotonic())

    with (
        serving(create_app(container, freshness_timeout=5.0)) as base_url,
        httpx.Client(
            base_url=base_url, timeout=30, limits=httpx.Limits(max_connections=200)
        ) as client,
    ):
        readers = [threading.Thread(target=wait, args=(client,)) for _ in range(WAITERS)]
        for reader in readers:
            reader.start()
        time.sleep(0.5)  # the readers are waiting
        signed = client.post("/v1/agreements", json=AGREEMENT_BODY, headers=agency)
        signed_at = time.monotonic()
        for reader in readers:
            reader.join()

    assert signed.status_code == 201, signed.text
    assert len(done_waiting) == WAITERS
    assert signed_at < min(done_waiting)  # answered while every reader was still waiting
