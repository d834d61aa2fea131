"""The archivists' console forms over plain HTTP, on both backends: holds, two-person
disposal and retention packages go through the API's commands, with CSRF, and only for
archivists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from application.context import SYSTEM, Actor, Context
from tests.conftest import Clock
from tests.e2e.conftest import Api
from tests.e2e.console import close_clients, console_client, csrf_of, populated, sign_in, signed_in

SUMMARY_TITLE = "yibao retention package — summary"


@pytest.fixture(autouse=True)
def _clients() -> Iterator[None]:
    yield
    close_clients()


def post_form(client: httpx.Client, path: str, **fields: str) -> httpx.Response:
    csrf = csrf_of(client.get("/console/archive"))
    return client.post(path, data={"csrf": csrf, **fields})


def second_archivist(api: Api) -> httpx.Client:
    ctx = Context(Actor("test-operator", SYSTEM), request_id="second-archivist")
    token = api.container.region.issue_token(ctx, role="archivist", name="second").token
    client = console_client(api)
    assert sign_in(client, token).status_code == 303
    return client


def test_an_archivist_places_and_releases_a_hold_from_the_console(api: Api) -> None:
    region = populated(api)
    client = signed_in(api, "archivist")

    placed = post_form(
        client,
        "/console/archive/holds",
        aggregate_ids=region.person_id,
        legal_basis="稽核调查",
        reason="案件调查需要",
    )
    listed = client.get(placed.headers["location"])
    hold_id = re.search(r'data-hold="([0-9a-f-]{36})"', listed.text)
    assert hold_id, listed.text
    released = post_form(
        client, f"/console/archive/holds/{hold_id.group(1)}/release", reason="调查结束"
    )
    after = client.get(released.headers["location"])

    assert placed.status_code == 303 and "placed" in placed.headers["location"]
    assert region.person_id in listed.text and "data-notice" in listed.text
    assert released.status_code == 303
    assert re.search(r'data-hold="[^"]+".*?released', after.text, re.S)
    assert [h.active for h in api.container.region.holds()] == [False]


def test_a_form_without_its_csrf_token_or_from_an_auditor_changes_nothing(api: Api) -> None:
    region = populated(api)
    archivist = signed_in(api, "archivist")
    auditor = signed_in(api, "auditor")
    fields = {"aggregate_ids": region.person_id, "legal_basis": "x", "reason": "y"}

    forged = archivist.post("/console/archive/holds", data={"csrf": "0" * 64, **fields})
    refused = post_form(auditor, "/console/archive/holds", **fields)
    auditor_page = auditor.get("/console/archive")

    assert forged.status_code == 403 and "CSRF_REFUSED" in forged.text
    assert refused.status_code == 403 and "FORBIDDEN" in refused.text
    assert 'action="/console/archive/holds"' not in auditor_page.text
    assert api.container.region.holds() == []


def test_a_bad_form_is_refused_naming_the_field(api: Api) -> None:
    populated(api)
    client = signed_in(api, "archivist")

    answer = post_form(
        client, "/console/archive/holds", aggregate_ids="not-an-id", legal_basis="x", reason="y"
    )

    assert answer.status_code == 422 and "scope.aggregate_ids" in answer.text


def test_a_disposal_of_records_not_yet_due_is_refused_on_the_page(api: Api) -> None:
    region = populated(api)
    client = signed_in(api, "archivist")

    answer = post_form(
        client,
        "/console/archive/disposals",
        aggregate_ids=region.person_id,
        appraisal_opinion="保管期满，鉴定可销毁",
    )

    assert answer.status_code == 422 and "NOT_YET_DUE" in answer.text
    assert api.container.region.disposals() == []


def test_a_disposal_proposed_by_one_archivist_is_approved_by_another(
    api: Api, clock: Clock
) -> None:
    region = populated(api)
    clock.now = datetime(2128, 1, 3, tzinfo=UTC)  # a person's records are kept 100 years
    first = signed_in(api, "archivist")
    second = second_archivist(api)

    proposed = post_form(
        first,
        "/console/archive/disposals",
        aggregate_ids=region.person_id,
        appraisal_opinion="保管期满，鉴定可销毁",
    )
    disposal = api.container.region.disposals()[0].disposal_id
    same = post_form(first, f"/console/archive/disposals/{disposal}/approval", reason="同意")
    approved = post_form(second, f"/console/archive/disposals/{disposal}/approval", reason="同意")
    register = second.get("/console/archive")

    assert proposed.status_code == 303, proposed.text
    assert same.status_code == 422 and "SAME_ARCHIVIST" in same.text
    assert approved.status_code == 303
    assert re.search(rf'data-disposal="{disposal}".*?executed', register.text, re.S)


def test_an_archivist_exports_a_package_and_opens_its_summary(api: Api) -> None:
    populated(api)
    client = signed_in(api, "archivist")

    exported = post_form(
        client, "/console/archive/packages", since="2026-03-01", until="2026-03-31"
    )
    summary = client.get(exported.headers["location"])
    download = re.search(r'href="(/console/archive/packages/[^"]+/download)"', summary.text)
    assert download, summary.text
    zipped = client.get(download.group(1))

    assert exported.status_code == 303
    assert summary.status_code == 200 and SUMMARY_TITLE in summary.text
    assert zipped.status_code == 200 and zipped.content[:2] == b"PK"
