"""Institutions settle, replay, preview and reverse claims over HTTP."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import httpx

from tests.conftest import Clock
from tests.e2e.conftest import OTHER_HOSPITAL, Api
from tests.e2e.scenario import claim, enroll, enrollment, head, settle, sign
from tests.support import HOSPITAL


def test_a_claim_settles_with_the_domain_figures_and_a_replay_answers_the_same_result(
    api: Api,
) -> None:
    sign(api)
    person = enroll(api)
    body = claim(person, "1300.00")

    first = api.post("/v1/settlements", body, role="institution")
    again = api.post("/v1/settlements", body, role="institution")

    assert first.status_code == 201 and again.status_code == 200
    result = first.json()
    assert again.json()["settlement_id"] == result["settlement_id"]
    assert {k: result[k] for k in ("status", "deductible", "fund_pay", "cash_pay", "ratio")} == {
        "status": "settled",
        "deductible": "300.00",
        "fund_pay": "650.00",
        "cash_pay": "650.00",
        "ratio": "0.65",
    }
    assert result["position"] > 0 and result["policy_version"] == "demo-2026"


def test_the_same_request_id_with_another_body_is_a_conflict(api: Api) -> None:
    sign(api)
    person = enroll(api)
    body = claim(person, "100.00", request_id="HIS-1")
    settle(api, body)

    reused = api.post("/v1/settlements", {**body, "visit_id": "V-OTHER"}, role="institution")

    assert reused.status_code == 409
    assert reused.headers["content-type"] == "application/problem+json"
    assert reused.json()["code"] == "REQUEST_ID_REUSED"


def test_a_rejected_claim_is_a_422_with_its_code_and_the_recorded_settlement_id(api: Api) -> None:
    agreement = sign(api)
    suspension = {"reason": "稽核", "effective_from": "2026-03-01", "effective_until": "2026-04-01"}
    assert api.post(f"/v1/agreements/{agreement}/suspensions", suspension).status_code == 201
    person = enroll(api)

    rejected = api.post("/v1/settlements", claim(person), role="institution")

    problem = rejected.json()
    assert rejected.status_code == 422
    assert problem["code"] == "AGREEMENT_SUSPENDED"
    assert problem["reason_codes"] == ["AGREEMENT_SUSPENDED"]
    recorded = api.fresh(f"/v1/settlements/{problem['settlement_id']}", problem["position"])
    assert recorded["status"] == "rejected" and recorded["fund_pay"] is None


def test_a_suspended_person_is_rejected_with_person_suspended(api: Api) -> None:
    sign(api)
    person = enroll(api)
    window = {"reason": "欺诈骗保", "effective_from": "2026-03-01", "effective_until": "2026-06-01"}
    assert api.post(f"/v1/persons/{person}/suspensions", window).status_code == 201

    rejected = api.post("/v1/settlements", claim(person), role="institution")

    assert (rejected.status_code, rejected.json()["code"]) == (422, "PERSON_SUSPENDED")


def test_a_preview_computes_the_result_and_records_nothing(api: Api) -> None:
    sign(api)
    person = enroll(api)
    before = head(api)

    preview = api.post("/v1/settlements/preview", claim(person, "1300.00"), role="institution")

    assert preview.status_code == 200
    assert preview.json()["status"] == "preview" and preview.json()["fund_pay"] == "650.00"
    assert head(api) == before


def test_money_as_a_json_number_is_refused_naming_the_field_and_records_nothing(api: Api) -> None:
    sign(api)
    person = enroll(api)
    body = claim(person)
    body["items"][0]["amount"] = 1300
    before = head(api)

    refused = api.post("/v1/settlements", body, role="institution")

    assert refused.status_code == 422
    assert refused.json()["code"] == "VALIDATION_ERROR"
    assert refused.json()["field"] == "items[0].amount"
    assert head(api) == before


def test_an_item_whose_amount_is_not_quantity_times_price_is_refused_naming_the_item(
    api: Api,
) -> None:
    sign(api)
    body = claim(enroll(api))
    body["items"][0]["quantity"] = "2"
    before = head(api)

    refused = api.post("/v1/settlements", body, role="institution")

    assert (refused.status_code, refused.json()["field"]) == (422, "items[0].amount")
    assert head(api) == before


def test_a_claim_with_a_zero_quantity_or_a_zero_total_is_refused_and_records_nothing(
    api: Api,
) -> None:
    sign(api)
    body = claim(enroll(api))
    item = body["items"][0]
    zero_quantity = {**body, "items": [{**item, "quantity": "0"}]}
    zero_total = {**body, "items": [{**item, "unit_price": "0.00", "amount": "0.00"}]}
    negative = {**body, "items": [{**item, "unit_price": "-1.00", "amount": "-1.00"}]}
    before = head(api)

    answers = {
        path: [api.post(path, b, role="institution") for b in (zero_quantity, zero_total, negative)]
        for path in ("/v1/settlements", "/v1/settlements/preview")
    }

    expected = [
        (422, "VALIDATION_ERROR", "items[0].quantity"),
        (422, "VALIDATION_ERROR", "items"),
        (422, "VALIDATION_ERROR", "items[0].unit_price"),
    ]
    for found in answers.values():
        assert [(a.status_code, a.json()["code"], a.json()["field"]) for a in found] == expected
    assert head(api) == before


def test_a_settlement_is_reversed_once_and_reads_as_reversed(api: Api) -> None:
    sign(api)
    result = settle(api, claim(enroll(api)))
    path = f"/v1/settlements/{result['settlement_id']}/reversal"

    reversed_ = api.post(path, {"request_id": "REV-1", "reason": "录入错误"}, role="institution")
    twice = api.post(path, {"request_id": "REV-2", "reason": "录入错误"}, role="institution")

    assert reversed_.status_code == 201 and reversed_.json()["status"] == "reversed"
    assert (twice.status_code, twice.json()["code"]) == (409, "ALREADY_REVERSED")
    shown = api.fresh(f"/v1/settlements/{result['settlement_id']}", reversed_.json()["position"])
    assert shown["status"] == "reversed"


def test_another_institution_may_not_settle_read_or_reverse_a_hospitals_claims(api: Api) -> None:
    sign(api)
    sign(api, OTHER_HOSPITAL)
    person = enroll(api)
    result = settle(api, claim(person))
    sid = result["settlement_id"]

    under_other_code = api.post("/v1/settlements", claim(person), role="other_institution")
    read = api.get(
        f"/v1/settlements/{sid}", role="other_institution", min_position=result["position"]
    )
    reversal = api.post(
        f"/v1/settlements/{sid}/reversal",
        {"request_id": "X", "reason": "no"},
        role="other_institution",
    )

    assert [r.status_code for r in (under_other_code, read, reversal)] == [403, 403, 403]
    assert {r.json()["code"] for r in (under_other_code, read, reversal)} == {"FORBIDDEN"}


def test_an_unknown_settlement_is_not_found(api: Api) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"

    read = api.get(f"/v1/settlements/{unknown}")
    reversal = api.post(
        f"/v1/settlements/{unknown}/reversal",
        {"request_id": "R", "reason": "x"},
        role="institution",
    )
    malformed = api.get("/v1/settlements/not-an-id")

    assert [r.status_code for r in (read, reversal, malformed)] == [404, 404, 404]
    assert {r.json()["code"] for r in (read, reversal, malformed)} == {"NOT_FOUND"}


def test_concurrent_identical_requests_make_one_record_and_answer_one_settlement_id(
    api: Api,
) -> None:
    sign(api)
    body = claim(enroll(api), request_id="HIS-CONCURRENT")
    headers = api.headers("institution")
    base_url = str(api.client.base_url)

    def send(_: int) -> httpx.Response:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            return client.post("/v1/settlements", json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(send, range(8)))

    assert sorted(a.status_code for a in answers) == [200] * 7 + [201]
    assert len({a.json()["settlement_id"] for a in answers}) == 1
    recorded = list(api.container.region.events.get(UUID(answers[0].json()["settlement_id"])))
    assert [type(e).__name__ for e in recorded] == ["Settled"]


def test_two_hospitals_numbering_their_visits_alike_are_two_admissions_with_two_deductibles(
    api: Api, clock: Clock
) -> None:
    sign(api, level=2)
    sign(api, OTHER_HOSPITAL, level=2)
    body = {**enrollment(), "contribution_start": "2025-01-02"}  # no contribution bonus
    person = api.post("/v1/persons", body).json()["person_id"]

    def admitted(code: str, day: str, request_id: str) -> dict[str, Any]:
        stay = claim(person, "2000.00", request_id=request_id, code=code, day=day)
        return {**stay, "visit_type": "inpatient", "visit_id": "V1"}

    march = settle(api, admitted(HOSPITAL, "2026-03-01", "IN-1"))
    clock.advance(days=100)
    june = settle(api, admitted(OTHER_HOSPITAL, "2026-06-01", "IN-1"), role="other_institution")
    interim = settle(api, admitted(OTHER_HOSPITAL, "2026-06-01", "IN-2"), role="other_institution")

    assert (march["deductible"], march["fund_pay"]) == ("500.00", "900.00")
    assert (june["deductible"], june["fund_pay"]) == ("500.00", "900.00")
    assert (interim["deductible"], interim["fund_pay"]) == ("0.00", "1200.00")
