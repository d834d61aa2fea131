"""The HTTP service over real HTTP: a uvicorn server on a free port, httpx as the client, on
SQLite and PostgreSQL like every other suite.

`api` serves the app on the test's container, with a token for every role already issued and
the projection runner working in the background.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import uvicorn

from application.context import SYSTEM, Actor, Context
from interfaces.bootstrap import Container, start_projections
from interfaces.http.app import create_app
from tests.conftest import Clock
from tests.support import HOSPITAL

OTHER_HOSPITAL = "H31010100002"
ROLES = ("agency", "institution", "other_institution", "auditor", "archivist")


@dataclass
class Api:
    """An HTTP client on the service, and a bearer token per role."""

    client: Any
    container: Container
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}

    def post(self, path: str, body: Any = None, *, role: str | None = "agency") -> httpx.Response:
        response: httpx.Response = self.client.post(path, json=body, headers=self.headers(role))
        return response

    def get(self, path: str, *, role: str | None = "agency", **params: Any) -> httpx.Response:
        response: httpx.Response = self.client.get(
            path, params=params or None, headers=self.headers(role)
        )
        return response

    def fresh(self, path: str, position: int, *, role: str = "agency", **params: Any) -> Any:
        """GET after the views have caught up with `position`; the JSON of a 200."""
        response = self.get(path, role=role, min_position=position, **params)
        assert response.status_code == 200, response.text
        return response.json()


def issue_tokens(container: Container) -> dict[str, str]:
    ctx = Context(Actor("test-operator", SYSTEM), request_id="tokens")
    region = container.region
    codes = {"institution": HOSPITAL, "other_institution": OTHER_HOSPITAL}
    tokens = {}
    for role in ROLES:
        real_role = "institution" if role.endswith("institution") else role
        issued = region.issue_token(
            ctx, role=real_role, institution_code=codes.get(role), name=role
        )
        tokens[role] = issued.token
    return tokens


@pytest.fixture
def clock() -> Clock:
    """Over HTTP a service date may not be after today: the claims of these tests (10 March)
    are settled at the end of that month."""
    return Clock(datetime(2026, 3, 31, 2, 0, tzinfo=UTC))


@pytest.fixture
def api(container: Container) -> Iterator[Api]:
    runner = start_projections(container)
    try:
        with (
            serving(create_app(container)) as base_url,
            httpx.Client(base_url=base_url, timeout=30) as client,
        ):
            yield Api(client, container, issue_tokens(container))
    finally:
        runner.stop()


@contextmanager
def serving(app: Any, **options: Any) -> Iterator[str]:
    """Run the app behind a real uvicorn server on a free port; yield its base URL.
    `options` are uvicorn's (the access log is off unless they turn it on)."""
    settings: dict[str, Any] = {"log_level": "warning", "access_log": False, **options}
    config = uvicorn.Config(app, host="127.0.0.1", port=0, **settings)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.005)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
