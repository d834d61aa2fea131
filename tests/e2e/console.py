"""The console as a browser sees it over plain HTTP: signing in with a role's token, and a
small region with money in it to look at."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

from tests.e2e.conftest import Api
from tests.e2e.scenario import claim, enroll, head, open_fund, settle, sign

NONCE = re.compile(r'name="nonce" value="([^"]+)"')
CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
DAY = "2026-03-02"  # the test clock's day: settlements are reconciled by the day recorded


@dataclass(frozen=True)
class Region:
    agreement_id: str
    person_id: str
    settlement_id: str
    budget_id: str
    position: int


def populated(api: Api) -> Region:
    """An agreement with a budget, funds, a person with a settled claim (fund pay 650.00 of
    a budget of 760.00: 85.53 %, inside the 80 % band)."""
    agreement = sign(api)
    open_fund(api, "resident", "basic")
    open_fund(api, "resident", "major")
    person = enroll(api)
    settled = settle(api, claim(person, "1300.00", day="2026-03-01"))
    budget = api.post(
        "/v1/budgets",
        {
            "agreement_id": agreement,
            "year": 2026,
            "scheme": "resident",
            "amount": "760.00",
            "basis": "年初预算",
        },
    )
    assert budget.status_code == 201, budget.text
    return Region(
        agreement, person, str(settled["settlement_id"]), budget.json()["budget_id"], head(api)
    )


OPEN: list[httpx.Client] = []


def console_client(api: Api) -> httpx.Client:
    """A browser-like client with its own cookies (closed by `close_clients`)."""
    client = httpx.Client(base_url=str(api.client.base_url), timeout=30)
    OPEN.append(client)
    return client


def close_clients() -> None:
    while OPEN:
        OPEN.pop().close()


def sign_in(client: httpx.Client, token: str) -> httpx.Response:
    form = client.get("/console/login")
    found = NONCE.search(form.text)
    assert found, form.text
    return client.post("/console/login", data={"token": token, "nonce": found.group(1)})


def signed_in(api: Api, role: str) -> httpx.Client:
    client = console_client(api)
    answer = sign_in(client, api.tokens[role])
    assert answer.status_code == 303, answer.text
    return client


def csrf_of(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, page.text
    return found.group(1)
