"""The console over plain HTTP, on both backends: the session cookie, CSRF, what each role
may open, the personal-data reads it records exactly as the API does, and the API docs'
assets served by the process itself."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from application.context import SYSTEM, Actor, Context
from interfaces.cli_service import current_tokens
from tests.e2e.conftest import Api
from tests.e2e.console import (
    DAY,
    caught_up,
    close_clients,
    console_client,
    csrf_of,
    populated,
    sign_in,
    signed_in,
)
from tests.e2e.scenario import head

PAGES = (
    "/console/",
    "/console/audit",
    "/console/settlements",
    "/console/budgets",
    "/console/archive",
)
MAY_OPEN = {
    "agency": {"/console/", "/console/settlements", "/console/budgets"},
    "institution": {"/console/", "/console/settlements", "/console/budgets"},
    "auditor": set(PAGES),
    "archivist": {"/console/", "/console/archive"},
}


@pytest.fixture(autouse=True)
def _clients() -> Iterator[None]:
    yield
    close_clients()


def test_the_root_and_every_page_lead_a_stranger_to_the_sign_in(api: Api) -> None:
    client = console_client(api)

    root = client.get("/")
    pages = [client.get(p) for p in PAGES]
    form = client.get("/console/login")

    assert (root.status_code, root.headers["location"]) == (303, "/console/")
    assert {(p.status_code, p.headers["location"]) for p in pages} == {(303, "/console/login")}
    assert form.status_code == 200 and 'type="password"' in form.text


def test_signing_in_keeps_the_token_in_an_httponly_strict_cookie_not_in_a_url(api: Api) -> None:
    client = console_client(api)

    answer = sign_in(client, api.tokens["auditor"])

    cookie = answer.headers["set-cookie"]
    page = client.get("/console/")
    assert answer.status_code == 303 and answer.headers["location"] == "/console/"
    assert "yibao_console=" in cookie and "HttpOnly" in cookie
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert "samesite=strict" in cookie.lower() and "Path=/console" in cookie
    assert api.tokens["auditor"] not in answer.headers["location"]
    assert page.status_code == 200


def test_a_wrong_token_or_a_forged_sign_in_is_refused(api: Api) -> None:
    client = console_client(api)

    wrong = sign_in(client, "yb_not-a-token")
    no_nonce = client.post("/console/login", data={"token": api.tokens["agency"], "nonce": "x"})
    other_site = client.post(
        "/console/login",
        data={"token": api.tokens["agency"], "nonce": "x"},
        headers={"Origin": "https://evil.example"},
    )

    assert wrong.status_code == 401 and "UNAUTHORIZED" in wrong.text
    assert no_nonce.status_code == 403 and other_site.status_code == 403
    assert client.get("/console/").status_code == 303


@pytest.mark.parametrize("role", sorted(MAY_OPEN))
def test_each_role_opens_what_it_may_read_over_the_api_and_is_refused_the_rest(
    api: Api, role: str
) -> None:
    client = signed_in(api, role)

    answers = {p: client.get(p) for p in PAGES}

    assert {p for p, a in answers.items() if a.status_code == 200} == MAY_OPEN[role]
    assert {a.status_code for p, a in answers.items() if p not in MAY_OPEN[role]} <= {403}
    nav = set(re.findall(r'<li><a href="(/console/[a-z]*)"', answers["/console/"].text))
    assert nav == MAY_OPEN[role]


def test_signing_out_needs_the_csrf_token_of_the_session(api: Api) -> None:
    client = signed_in(api, "agency")
    csrf = csrf_of(client.get("/console/"))

    forged = client.post("/console/logout", data={"csrf": "0" * 64})
    cross_site = client.post(
        "/console/logout", data={"csrf": csrf}, headers={"Origin": "http://evil.example"}
    )
    still_in = client.get("/console/")
    signed_out = client.post("/console/logout", data={"csrf": csrf})

    assert forged.status_code == 403 and cross_site.status_code == 403
    assert still_in.status_code == 200
    assert signed_out.status_code == 303 and client.get("/console/").status_code == 303


def test_a_revoked_token_signs_the_console_out(api: Api) -> None:
    client = signed_in(api, "agency")
    token_id = next(t.token_id for t in current_tokens(api.container) if t.name == "agency")

    api.container.region.revoke_token(Context(Actor("t", SYSTEM), request_id="r"), token_id)

    assert client.get("/console/").status_code == 303


def test_the_console_records_a_persons_read_exactly_as_the_api_does(api: Api) -> None:
    region = populated(api)
    client = signed_in(api, "auditor")
    before = head(api)
    caught_up(api, before)  # the console page reads the trail as it is, without waiting

    trail = client.get("/console/audit", params={"aggregate_id": region.person_id})
    api.fresh("/v1/audit/events", before, role="auditor", aggregate_id=region.person_id)
    reads = api.fresh(
        "/v1/audit/events",
        head(api),
        role="auditor",
        event_type="PersonalDataAccess.Read",
        after=before,
    )["items"]

    assert trail.status_code == 200 and "Enrolled" in trail.text
    assert len(reads) == 2
    console_read, api_read = (r["payload"] for r in reads)
    assert console_read.keys() == api_read.keys()
    assert [r["role"] for r in reads] == ["auditor", "auditor"]


def test_replaying_a_version_shows_it_beside_the_previous_one(api: Api) -> None:
    region = populated(api)
    client = signed_in(api, "auditor")
    caught_up(api, region.position)

    page = client.get(f"/console/audit/aggregates/{region.budget_id}", params={"version": 1})
    person = client.get(f"/console/audit/aggregates/{region.person_id}", params={"version": 2})
    bad = client.get(f"/console/audit/aggregates/{region.person_id}", params={"version": "x"})

    assert page.status_code == 200 and "Budget v1" in page.text
    assert person.status_code == 200 and "data-changed" in person.text and "(v1)" in person.text
    assert bad.status_code == 422 and "version" in bad.text


def test_settlement_figures_and_the_days_reconciliation(api: Api) -> None:
    region = populated(api)
    client = signed_in(api, "institution")
    caught_up(api, region.position)

    page = client.get(
        "/console/settlements", params={"day": DAY, "settlement_id": region.settlement_id}
    )
    other = signed_in(api, "other_institution").get(
        "/console/settlements", params={"settlement_id": region.settlement_id}
    )

    assert page.status_code == 200
    assert re.search(r'data-step="fund_pay".*?650\.00', page.text, re.S)
    assert re.search(r'data-step="deductible".*?300\.00', page.text, re.S)
    assert re.search(r"<td class=\"num\">1</td>\s*<td class=\"num\">1,300\.00</td>", page.text)
    assert other.status_code == 403 and "FORBIDDEN" in other.text


def test_the_budget_chart_is_drawn_on_the_server_with_its_bands(api: Api) -> None:
    region = populated(api)
    client = signed_in(api, "agency")
    caught_up(api, region.position)

    page = client.get(
        "/console/budgets",
        params={"institution_code": "H31010100001", "year": "2026", "scheme": "resident"},
    )

    assert page.status_code == 200
    assert [b for b in ("80", "90", "100") if f'data-band="{b}"' in page.text] == [
        "80",
        "90",
        "100",
    ]
    assert 'data-bar="year_to_date_fund_pay" data-level="warn"' in page.text
    assert "85.53 %" in page.text and "760.00" in page.text


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_api_docs_load_their_assets_from_this_server(api: Api, path: str) -> None:
    page = api.client.get(path)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    fetched = [api.client.get(a) for a in assets]

    assert page.status_code == 200 and assets
    assert [a for a in assets if not a.startswith("/")] == []
    assert {f.status_code for f in fetched} == {200}
    assert "https://" not in page.text
