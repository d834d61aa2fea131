"""Auditors page through the trail, replay aggregates and verify the chain; archivists read
the catalogue."""

from __future__ import annotations

import json
import re

import httpx

from interfaces.bootstrap import Container
from interfaces.http.app import create_app
from tests.contract.scenario import runner_for
from tests.e2e.conftest import Api, issue_tokens, serving
from tests.e2e.scenario import claim, enroll, head, settle, sign


def test_the_trail_pages_by_position_with_versions_from_one_and_chain_hashes(api: Api) -> None:
    agreement = sign(api)
    for start, end in (("2026-04-01", "2026-04-15"), ("2026-06-01", "2026-06-15")):
        suspension = {"reason": "稽核", "effective_from": start}
        api.post(f"/v1/agreements/{agreement}/suspensions", suspension)
        reinstatement = {"reason": "整改", "effective_from": end}
        api.post(f"/v1/agreements/{agreement}/reinstatements", reinstatement)

    first = api.fresh(
        "/v1/audit/events", head(api), role="auditor", aggregate_id=agreement, limit=2
    )
    rest = api.fresh(
        "/v1/audit/events", head(api), role="auditor", aggregate_id=agreement, after=first["next"]
    )

    events = first["items"] + rest["items"]
    assert len(events) >= 5
    assert [e["version"] for e in events] == list(range(1, len(events) + 1))
    assert [e["event_type"] for e in events][:2] == [
        "InstitutionAgreement.Signed",
        "InstitutionAgreement.Suspended",
    ]
    assert [e["position"] for e in events] == sorted(e["position"] for e in events)
    assert all(re.fullmatch("[0-9a-f]{64}", e["hash"]) for e in events)
    assert events[1]["reason"] == "稽核" and events[1]["role"] == "agency"
    assert rest["next"] is None


def test_an_aggregate_is_replayed_as_of_a_version_and_as_of_an_instant(api: Api) -> None:
    sign(api)
    settled = settle(api, claim(enroll(api)))
    sid = settled["settlement_id"]
    reversed_ = api.post(
        f"/v1/settlements/{sid}/reversal",
        {"request_id": "R-9", "reason": "重复"},
        role="institution",
    )
    assert reversed_.status_code == 201

    at_one = api.get(f"/v1/audit/aggregates/{sid}", role="auditor", version=1).json()
    before = api.get(
        f"/v1/audit/aggregates/{sid}", role="auditor", as_of="2026-03-01T00:00:00+08:00"
    )
    now = api.get(f"/v1/audit/aggregates/{sid}", role="auditor").json()

    assert (at_one["version"], at_one["state"]["reversed"]) == (1, False)
    assert (now["version"], now["state"]["reversed"]) == (2, True)
    assert (before.status_code, before.json()["code"]) == (404, "NOT_FOUND")


def test_the_chain_verifies_from_the_event_store_up_to_the_head(api: Api) -> None:
    sign(api)
    settle(api, claim(enroll(api)))
    position = head(api)

    verdict = api.fresh("/v1/audit/verify", position, role="auditor")
    last = api.fresh("/v1/audit/events", position, role="auditor", after=position - 1)

    assert verdict["ok"] is True and verdict["first_mismatch_position"] is None
    assert verdict["checked"] == position
    assert verdict["head_hash"] == last["items"][0]["hash"]


def test_right_after_an_enrollment_a_lagging_trail_is_ok_and_shows_its_lag(
    container: Container,
) -> None:
    """No projection runs in the background here: the trail lags by exactly what the
    test wrote after catching it up."""
    with (
        serving(create_app(container)) as base_url,
        httpx.Client(base_url=base_url, timeout=30) as client,
    ):
        api = Api(client, container, issue_tokens(container))
        sign(api)
        runner_for(container).catch_up()
        caught_up = head(api)
        enroll(api)

        lagging = api.get("/v1/audit/verify", role="auditor").json()
        runner_for(container).catch_up()
        current = api.get("/v1/audit/verify", role="auditor").json()

    assert lagging["ok"] is True and lagging["first_mismatch_position"] is None
    assert lagging["checked"] == caught_up and lagging["trail_lag"] == head(api) - caught_up > 0
    assert (current["ok"], current["checked"], current["trail_lag"]) == (True, head(api), 0)


def test_the_archive_lists_records_with_archive_numbers_and_monthly_volumes(api: Api) -> None:
    sign(api)
    settle(api, claim(enroll(api)))

    records = api.fresh("/v1/archive/records", head(api), role="archivist", limit=1000)
    payments = api.fresh(
        "/v1/archive/records", head(api), role="archivist", record_class="payment_detail"
    )
    volumes = api.fresh("/v1/archive/volumes", head(api), role="archivist", year=2026, month=3)

    assert records["items"] and records["next"] is None
    assert all(
        re.fullmatch(r"[REX]-\d{6}-\d{4}-[PD]\d*-[A-Z_]+-\d{6}", r["archive_number"])
        for r in records["items"]
    )
    assert {r["record_class"] for r in payments["items"]} == {"payment_detail"}
    assert volumes["items"] and all(v["record_count"] > 0 for v in volumes["items"])


def test_list_limits_beyond_a_thousand_are_refused_naming_the_field(api: Api) -> None:
    events = api.get("/v1/audit/events", role="auditor", limit=1001)
    records = api.get("/v1/archive/records", role="archivist", limit=0)

    assert (events.status_code, events.json()["field"]) == (422, "limit")
    assert (records.status_code, records.json()["field"]) == (422, "limit")


def test_replaying_a_person_or_reading_their_trail_is_itself_recorded(api: Api) -> None:
    agreement = sign(api)
    person = enroll(api)
    before = head(api)

    replayed = api.get(f"/v1/audit/aggregates/{person}", role="auditor")
    trail = api.fresh("/v1/audit/events", before, role="auditor", aggregate_id=person)
    api.get(f"/v1/audit/aggregates/{agreement}", role="auditor")
    api.fresh("/v1/audit/events", before, role="auditor", aggregate_id=agreement)

    assert replayed.status_code == 200 and trail["items"]
    reads = api.fresh(
        "/v1/audit/events",
        head(api),
        role="auditor",
        event_type="PersonalDataAccess.Read",
        after=before,
    )["items"]
    assert [(r["role"], r["position"] > before) for r in reads] == [("auditor", True)] * 2
    assert all(person.replace("-", "") in json.dumps(r["payload"]).replace("-", "") for r in reads)


def test_volumes_page_like_every_list(api: Api) -> None:
    sign(api)
    settle(api, claim(enroll(api)))
    position = head(api)

    whole = api.fresh("/v1/archive/volumes", position, role="archivist", limit=1000)
    pages, cursor = [], None
    while True:
        params = {"limit": 2} | ({"after": cursor} if cursor else {})
        page = api.fresh("/v1/archive/volumes", position, role="archivist", **params)
        pages.append(page["items"])
        cursor = page["next"]
        if cursor is None:
            break
    too_many = api.get("/v1/archive/volumes", role="archivist", limit=1001)

    assert len(whole["items"]) >= 3 and whole["next"] is None
    assert all(len(p) <= 2 for p in pages) and len(pages) == (len(whole["items"]) + 1) // 2
    assert [v for p in pages for v in p] == whole["items"]
    assert (too_many.status_code, too_many.json()["field"]) == (422, "limit")


def test_the_service_serves_every_archivist_route_of_the_contract(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]

    assert sorted(p for p in paths if p.startswith("/v1/archive")) == [
        "/v1/archive/disposals",
        "/v1/archive/disposals/{disposal_id}/approval",
        "/v1/archive/holds",
        "/v1/archive/holds/{hold_id}/release",
        "/v1/archive/packages",
        "/v1/archive/packages/{package_id}/download",
        "/v1/archive/records",
        "/v1/archive/volumes",
    ]
