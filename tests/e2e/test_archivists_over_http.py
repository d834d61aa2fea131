"""Archivists over HTTP: holds and the held filter, two-person disposal and every refusal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from application.context import SYSTEM, Actor, Context
from tests.conftest import Clock
from tests.e2e.conftest import Api
from tests.e2e.scenario import claim, enrollment, head, settle, sign
from tests.support import HOSPITAL


def second_archivist(api: Api) -> None:
    ctx = Context(Actor("test-operator", SYSTEM), request_id="archivist-2")
    issued = api.container.region.issue_token(ctx, role="archivist", name="archivist-2")
    api.tokens["archivist_2"] = issued.token


def held_aggregates(api: Api) -> set[str]:
    page = api.fresh("/v1/archive/records", head(api), role="archivist", held="true", limit=1000)
    return {r["aggregate_id"] for r in page["items"]}


def refusal(response: Any, status: int, code: str) -> None:
    assert (response.status_code, response.json()["code"]) == (status, code), response.text


def test_a_hold_covers_records_formed_later_and_a_release_uncovers_them(api: Api) -> None:
    sign(api)
    person = api.post("/v1/persons", enrollment()).json()["person_id"]
    first = settle(api, claim(person))["settlement_id"]
    hold = api.post(
        "/v1/archive/holds",
        {"scope": {"institution_code": HOSPITAL}, "reason": "专项稽核", "legal_basis": "稽核封存"},
        role="archivist",
    )
    assert hold.status_code == 201, hold.text
    later = settle(api, claim(person))["settlement_id"]

    assert {first, later} <= held_aggregates(api) and person not in held_aggregates(api)
    released = api.post(
        f"/v1/archive/holds/{hold.json()['hold_id']}/release",
        {"reason": "稽核结束"},
        role="archivist",
    )
    assert released.status_code == 201
    assert held_aggregates(api) == set()
    again = api.post(
        f"/v1/archive/holds/{hold.json()['hold_id']}/release", {"reason": "x"}, role="archivist"
    )
    refusal(again, 409, "ALREADY_RELEASED")
    listed = api.get("/v1/archive/holds", role="auditor").json()["items"]
    assert [(h["institution_code"], h["active"]) for h in listed] == [(HOSPITAL, False)]


def test_disposal_needs_two_archivists_due_unheld_records_and_forgets_the_person(
    api: Api, clock: Clock
) -> None:
    second_archivist(api)
    sign(api)
    body = enrollment()
    person = api.post("/v1/persons", body).json()["person_id"]
    settlement = settle(api, claim(person))["settlement_id"]
    by_person = {"scope": {"person_id": person}, "appraisal_opinion": "保管期满，经鉴定可销毁"}

    clock.now = datetime(2100, 1, 2, tzinfo=UTC)  # the settlement is due, the person is not
    refusal(api.post("/v1/archive/disposals", by_person, role="archivist"), 422, "NOT_YET_DUE")
    unknown = {"scope": {"aggregate_ids": [person[:-4] + "0000"]}, "appraisal_opinion": "x"}
    refusal(api.post("/v1/archive/disposals", unknown, role="archivist"), 404, "UNKNOWN_RECORD")

    clock.now = datetime(2128, 1, 2, tzinfo=UTC)
    api.fresh("/v1/archive/records", head(api), role="archivist")
    proposed = api.post("/v1/archive/disposals", by_person, role="archivist")
    assert proposed.status_code == 201, proposed.text
    assert set(proposed.json()["aggregate_ids"]) == {person, settlement}
    approval = f"/v1/archive/disposals/{proposed.json()['disposal_id']}/approval"
    refusal(api.post(approval, {"reason": "同意"}, role="archivist"), 422, "SAME_ARCHIVIST")
    hold = api.post(
        "/v1/archive/holds",
        {"scope": {"aggregate_ids": [settlement]}, "reason": "诉讼", "legal_basis": "协助执行"},
        role="archivist_2",
    ).json()
    refusal(api.post(approval, {"reason": "同意"}, role="archivist_2"), 422, "RECORD_HELD")
    api.post(f"/v1/archive/holds/{hold['hold_id']}/release", {"reason": "结案"}, role="archivist")

    executed = api.post(approval, {"reason": "同意销毁"}, role="archivist_2")
    assert executed.status_code == 201, executed.text
    refusal(api.post(approval, {"reason": "同意"}, role="archivist_2"), 409, "ALREADY_DISPOSED")
    again = api.post("/v1/archive/disposals", by_person, role="archivist")
    refusal(again, 409, "ALREADY_DISPOSED")
    lookup = api.post("/v1/persons/lookup", {"national_id": body["national_id"]})
    refusal(lookup, 404, "PERSON_NOT_FOUND")
    (entry,) = api.get("/v1/archive/disposals", role="archivist").json()["items"]
    assert entry["status"] == "executed" and entry["approved_by"] != entry["proposed_by"]
    assert entry["appraisal_opinion"] == "保管期满，经鉴定可销毁"
