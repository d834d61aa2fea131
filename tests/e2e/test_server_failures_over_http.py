"""A client never causes a 5xx by what it sends, and a real failure says nothing about the
service's insides: a bare problem+json 500, logged without the request's body or query."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from interfaces.http.app import create_app
from tests.e2e.conftest import Api, serving
from tests.e2e.scenario import enroll, enrollment, head, open_fund, sign

PERSON_ID = "00000000-0000-4000-8000-000000000000"


def test_instants_beyond_the_supported_years_are_refused_naming_the_parameter(api: Api) -> None:
    enroll(api)
    answers = {
        "since": api.get("/v1/audit/events", role="auditor", since="0001-01-01T00:00:00+14:00"),
        "until": api.get("/v1/audit/events", role="auditor", until="9999-12-31T23:59:59-14:00"),
        "as_of": api.get(
            f"/v1/audit/aggregates/{PERSON_ID}", role="auditor", as_of="1899-12-31T23:59:59Z"
        ),
    }
    in_range = api.get(
        "/v1/audit/events",
        role="auditor",
        since="1900-01-01T08:00:00+08:00",
        until="2999-12-31T23:59:59Z",
        min_position=head(api),  # the trail may still be catching up with the enrollment
    )

    assert {p: (a.status_code, a.json()["code"]) for p, a in answers.items()} == {
        p: (422, "VALIDATION_ERROR") for p in answers
    }
    assert {p: a.json()["field"] for p, a in answers.items()} == {p: p for p in answers}
    assert in_range.status_code == 200 and in_range.json()["items"]


def test_days_and_months_beyond_the_supported_years_are_refused_naming_the_field(
    api: Api,
) -> None:
    agreement = sign(api)
    fund = open_fund(api)
    budget = api.post(
        "/v1/budgets",
        {
            "agreement_id": agreement,
            "year": 2026,
            "scheme": "resident",
            "amount": "1200.00",
            "basis": "年度基金预算",
        },
    ).json()["budget_id"]

    answers = {
        "as_of": api.get(f"/v1/balances/funds/{fund}", as_of="9999-12-31"),
        "birth_date": api.post("/v1/persons", {**enrollment(), "birth_date": "0001-01-01"}),
        "month": api.post(f"/v1/budgets/{budget}/prepayments", {"month": "2026-13"}),
        "period": api.post(
            f"/v1/funds/{fund}/contributions",
            {"amount": "1.00", "period": "0000-01", "source": "employer"},
        ),
    }

    assert {f: (a.status_code, a.json().get("field")) for f, a in answers.items()} == {
        f: (422, f) for f in answers
    }


def test_an_unexpected_failure_is_a_bare_500_logged_without_what_the_client_sent(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    body = enrollment()
    app = create_app(api.container)

    def failing(sent: dict[str, Any]) -> None:
        raise RuntimeError(f"could not store {sent['national_id']}") from KeyError(sent["name"])

    app.add_api_route("/v1/failing", failing, methods=["POST"])
    query = f"?national_id={body['national_id']}"
    with caplog.at_level(logging.ERROR), serving(app) as base_url:
        answer = httpx.post(f"{base_url}/v1/failing{query}", json=body, timeout=10)

    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert (problem["code"], problem["status"]) == ("INTERNAL_ERROR", 500)
    assert "store" not in answer.text and "RuntimeError" not in answer.text
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "yibao.http")
    assert "POST /v1/failing failed" in logged
    assert "builtins.KeyError" in logged and "builtins.RuntimeError" in logged
    assert body["national_id"] not in caplog.text and body["name"] not in caplog.text
    assert "?" not in logged
