"""The agency signs agreements, runs the funds and claws back over HTTP."""

from __future__ import annotations

from uuid import uuid4

import httpx

from tests.e2e.conftest import OTHER_HOSPITAL, Api
from tests.e2e.scenario import claim, enroll, head, open_fund, settle, sign
from tests.support import HOSPITAL


def test_one_agreement_is_in_force_per_institution_and_its_lifecycle_answers_201(
    api: Api,
) -> None:
    agreement = sign(api, OTHER_HOSPITAL, ownership="private")
    path = f"/v1/agreements/{agreement}"

    second = api.post(
        "/v1/agreements",
        {
            "institution_code": OTHER_HOSPITAL,
            "institution_name": "again",
            "level": 2,
            "ownership": "private",
            "term_start": "2026-06-01",
            "term_end": "2027-05-31",
            "annual_budget": "10.00",
        },
    )
    lifecycle = [
        api.post(
            f"{path}/renewals",
            {"term_start": "2027-01-01", "term_end": "2027-12-31", "annual_budget": "1300000.00"},
        ),
        api.post(
            f"{path}/suspensions",
            {"reason": "自愿中止", "effective_from": "2026-04-01", "voluntary": True},
        ),
        api.post(f"{path}/reinstatements", {"reason": "恢复", "effective_from": "2026-05-01"}),
        api.post(
            f"{path}/terminations",
            {"ground": "serious_violation", "reason": "严重违约", "effective_from": "2026-07-01"},
        ),
    ]

    assert (second.status_code, second.json()["code"]) == (409, "AGREEMENT_IN_FORCE")
    assert [a.status_code for a in lifecycle] == [201, 201, 201, 201]
    shown = api.fresh(path, lifecycle[-1].json()["position"])
    assert shown["institution_code"] == OTHER_HOSPITAL


def test_agreement_refusals_carry_their_codes(api: Api) -> None:
    public = f"/v1/agreements/{sign(api)}"

    voluntary = api.post(
        f"{public}/suspensions", {"reason": "x", "effective_from": "2026-04-01", "voluntary": True}
    )
    unknown_ground = api.post(
        f"{public}/terminations",
        {"ground": "boredom", "reason": "x", "effective_from": "2026-07-01"},
    )
    unknown = api.get("/v1/agreements/00000000-0000-4000-8000-000000000000")

    assert (voluntary.status_code, voluntary.json()["code"]) == (422, "VOLUNTARY_NOT_ALLOWED")
    assert (unknown_ground.status_code, unknown_ground.json()["field"]) == (422, "ground")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "NOT_FOUND")


def test_a_fund_takes_contributions_and_refuses_a_disbursement_beyond_its_balance(
    api: Api,
) -> None:
    agreement = sign(api)
    fund = open_fund(api)
    again = api.post(
        "/v1/funds", {"scheme": "resident", "layer": "basic", "region_code": "310000", "name": "x"}
    )
    contributed = api.post(
        f"/v1/funds/{fund}/contributions",
        {"amount": "1000.00", "period": "2026-01", "source": "employer"},
    )
    paid = {"agreement_id": agreement, "period": "2026-02", "amount": "600.00"}

    first = api.post(f"/v1/funds/{fund}/disbursements", paid)
    second = api.post(f"/v1/funds/{fund}/disbursements", paid)

    assert (again.status_code, again.json()["code"]) == (409, "ALREADY_EXISTS")
    assert contributed.status_code == 201 and first.status_code == 201
    assert (second.status_code, second.json()["code"]) == (422, "INSUFFICIENT_FUNDS")
    balance = api.fresh(f"/v1/balances/funds/{fund}", first.json()["position"])
    assert balance["balance"] == "400.00"


def test_a_clawback_is_assessed_with_its_penalty_and_recovered_into_the_fund(api: Api) -> None:
    agreement = sign(api)
    open_fund(api)
    open_fund(api, layer="major")
    settled = settle(api, claim(enroll(api), "1300.00"))
    assessment = {
        "agreement_id": agreement,
        "settlement_ids": [settled["settlement_id"]],
        "amount": "650.00",
        "basis": "violation",
        "penalty_multiple": "1.5",
        "reason": "串换项目",
    }

    outside = api.post("/v1/clawbacks", {**assessment, "penalty_multiple": "3"})
    assessed = api.post("/v1/clawbacks", assessment)
    too_much = api.post("/v1/clawbacks", {**assessment, "amount": "0.01"})
    clawback = assessed.json()["clawback_id"]
    recovered = api.post(
        f"/v1/clawbacks/{clawback}/recoveries", {"amount": "650.00", "method": "offset"}
    )
    beyond = api.post(
        f"/v1/clawbacks/{clawback}/recoveries", {"amount": "99999.00", "method": "payment"}
    )

    assert (outside.status_code, outside.json()["field"]) == (422, "penalty_multiple")
    assert assessed.status_code == 201
    assert (assessed.json()["amount"], assessed.json()["penalty"]) == ("650.00", "975.00")
    assert (too_much.status_code, too_much.json()["code"]) == (422, "CLAWBACK_EXCEEDS_FUND_PAY")
    assert recovered.status_code == 201
    assert (beyond.status_code, beyond.json()["code"]) == (422, "RECOVERY_EXCEEDS_OUTSTANDING")
    shown = api.fresh(f"/v1/settlements/{settled['settlement_id']}", recovered.json()["position"])
    assert shown["status"] == "clawed_back"


def test_a_bad_penalty_multiple_is_named_before_any_other_refusal(api: Api) -> None:
    agreement = sign(api)
    settled = settle(api, claim(enroll(api), "1300.00"))  # fund pay 650.00
    assessment = {
        "agreement_id": agreement,
        "settlement_ids": [settled["settlement_id"]],
        "amount": "9000.00",
        "basis": "fraud",
        "penalty_multiple": "1.5",
        "reason": "虚构诊疗",
    }
    unknown_settlement = [str(uuid4())]

    both = api.post("/v1/clawbacks", assessment)
    with_unknown = api.post("/v1/clawbacks", {**assessment, "settlement_ids": unknown_settlement})
    just_too_much = api.post("/v1/clawbacks", {**assessment, "penalty_multiple": "2"})

    for refused in (both, with_unknown):
        assert refused.status_code == 422, refused.text
        assert (refused.json()["code"], refused.json()["field"]) == (
            "VALIDATION_ERROR",
            "penalty_multiple",
        )
    assert (just_too_much.status_code, just_too_much.json()["code"]) == (
        422,
        "CLAWBACK_EXCEEDS_FUND_PAY",
    )


def test_a_clawback_may_name_only_the_agreements_own_settlements(api: Api) -> None:
    sign(api)
    other = sign(api, OTHER_HOSPITAL)
    settled = settle(api, claim(enroll(api), code=HOSPITAL))

    refused = api.post(
        "/v1/clawbacks",
        {
            "agreement_id": other,
            "settlement_ids": [settled["settlement_id"]],
            "amount": "1.00",
            "basis": "fraud",
            "penalty_multiple": "2",
            "reason": "x",
        },
    )

    assert (refused.status_code, refused.json()["code"]) == (422, "SETTLEMENT_NOT_OF_AGREEMENT")


def test_a_retried_clawback_with_its_idempotency_key_is_assessed_once(api: Api) -> None:
    agreement = sign(api)
    open_fund(api)
    open_fund(api, layer="major")
    settled = settle(api, claim(enroll(api), "1300.00"))
    assessment = {
        "agreement_id": agreement,
        "settlement_ids": [settled["settlement_id"]],
        "amount": "100.00",
        "basis": "violation",
        "penalty_multiple": "1",
        "reason": "串换项目",
    }

    def assess(body: dict[str, object], key: str) -> httpx.Response:
        headers = {**api.headers("agency"), "Idempotency-Key": key}
        response: httpx.Response = api.client.post("/v1/clawbacks", json=body, headers=headers)
        return response

    first = assess(assessment, "CB-2026-0001")
    retried = assess(assessment, "CB-2026-0001")
    other_body = assess({**assessment, "amount": "200.00"}, "CB-2026-0001")
    other_key = assess(assessment, "CB-2026-0002")

    assert first.status_code == 201 and retried.status_code in (200, 201)
    assert retried.json()["clawback_id"] == first.json()["clawback_id"]
    assert (other_body.status_code, other_body.json()["code"]) == (409, "REQUEST_ID_REUSED")
    assert other_key.status_code == 201
    assert other_key.json()["clawback_id"] != first.json()["clawback_id"]
    trail = api.fresh("/v1/audit/events", head(api), role="auditor", event_type="Clawback.Assessed")
    assert [e["request_id"] for e in trail["items"]] == ["CB-2026-0001", "CB-2026-0002"]
    year = api.fresh(f"/v1/balances/institutions/{HOSPITAL}", head(api), year=2026)
    assert year["clawed_back"] == "200.00"


def test_an_idempotency_key_is_the_request_id_of_an_agency_command(api: Api) -> None:
    fund = open_fund(api)
    headers = {**api.headers("agency"), "Idempotency-Key": "PAY-2026-01-employer"}
    body = {"amount": "5.00", "period": "2026-01", "source": "employer"}

    contributed = api.client.post(f"/v1/funds/{fund}/contributions", json=body, headers=headers)
    malformed = api.client.post(
        f"/v1/funds/{fund}/contributions",
        json=body,
        headers={**headers, "Idempotency-Key": "PAY 2026"},
    )

    retried = api.client.post(f"/v1/funds/{fund}/contributions", json=body, headers=headers)
    reused = api.client.post(
        f"/v1/funds/{fund}/contributions", json={**body, "amount": "6.00"}, headers=headers
    )

    assert contributed.status_code == 201 and retried.status_code in (200, 201)
    assert (reused.status_code, reused.json()["code"]) == (409, "REQUEST_ID_REUSED")
    trail = api.fresh("/v1/audit/events", head(api), role="auditor", aggregate_id=fund)
    booked = [e for e in trail["items"] if e["event_type"].endswith("ContributionReceived")]
    assert [e["request_id"] for e in booked] == ["PAY-2026-01-employer"]  # booked once
    assert (malformed.status_code, malformed.json()["field"]) == (422, "Idempotency-Key")
