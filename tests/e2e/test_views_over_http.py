"""Queries read the projections: balances, reconciliation (对总账), projection status, and
read-your-writes with `min_position`."""

from __future__ import annotations

import httpx

from interfaces.bootstrap import Container
from interfaces.http.app import create_app
from tests.e2e.conftest import Api, issue_tokens, serving
from tests.e2e.scenario import claim, enroll, head, open_fund, settle, sign
from tests.support import HOSPITAL


def settled_and_reversed(api: Api) -> tuple[str, int]:
    sign(api)
    person = enroll(api)
    settle(api, claim(person, "1300.00"))
    second = settle(api, claim(person, "400.00"))
    reversal = api.post(
        f"/v1/settlements/{second['settlement_id']}/reversal",
        {"request_id": "REV-1", "reason": "录入错误"},
        role="institution",
    )
    assert reversal.status_code == 201
    return person, int(reversal.json()["position"])


def test_an_institutions_year_counts_settlements_and_reversals_by_service_date(api: Api) -> None:
    _, position = settled_and_reversed(api)

    year = api.fresh(
        f"/v1/balances/institutions/{HOSPITAL}", position, role="institution", year=2026
    )

    assert year["settled"]["count"] == 2 and year["settled"]["total"] == "1700.00"
    assert year["reversed"]["count"] == 1 and year["reversed"]["fund_pay"] == "260.00"
    assert year["fund_pay"] == "650.00" and year["by_scheme"]["resident"]["fund_pay"] == "650.00"
    assert year["budget"] == "1200000.00" and year["warnings"] == []


def test_reconciliation_nets_the_reversals_recorded_that_day(api: Api) -> None:
    _, position = settled_and_reversed(api)

    day = api.fresh(
        "/v1/reconciliation",
        position,
        role="institution",
        institution_code=HOSPITAL,
        date="2026-03-31",
    )
    elsewhere = api.fresh(
        "/v1/reconciliation", position, institution_code=HOSPITAL, date="2026-04-01"
    )

    [resident] = day["items"]
    assert (resident["scheme"], resident["total"], resident["fund_pay"]) == (
        "resident",
        "1300.00",
        "650.00",
    )
    assert resident["cash_pay"] == "650.00"
    assert elsewhere["items"] == []


def test_a_persons_balance_shows_the_years_accumulators_after_a_reversal(api: Api) -> None:
    person, position = settled_and_reversed(api)

    balance = api.fresh(f"/v1/balances/persons/{person}", position, year=2026)

    assert balance["outpatient_deductible_used"] == "300.00"
    assert balance["fund_paid"] == "650.00" and balance["account_balance"] == "0.00"


def test_a_fund_balance_is_read_as_of_a_day(api: Api) -> None:
    fund = open_fund(api)
    contributed = api.post(
        f"/v1/funds/{fund}/contributions",
        {"amount": "1000.00", "period": "2026-01", "source": "subsidy"},
    )

    today = api.fresh(f"/v1/balances/funds/{fund}", contributed.json()["position"])
    before = api.fresh(f"/v1/balances/funds/{fund}", head(api), as_of="2026-03-01")

    assert today["balance"] == "1000.00" and today["income"]["contribution"] == "1000.00"
    assert before["balance"] == "0.00"


def test_the_projections_report_their_position_the_head_and_the_lag(api: Api) -> None:
    sign(api)
    position = head(api)

    status = api.fresh("/v1/projections", position, role="archivist")

    assert status["head"] >= position
    assert all(p["position"] >= position and p["lag"] >= 0 for p in status["items"])
    assert {"balances", "settlements", "audit_trail"} <= {p["name"] for p in status["items"]}


def test_a_query_ahead_of_the_views_answers_503_projection_lagging(container: Container) -> None:
    """No projection runner follows this log: the views stay behind what is written."""
    tokens = issue_tokens(container)

    with (
        serving(create_app(container, freshness_timeout=0.1)) as base_url,
        httpx.Client(base_url=base_url) as client,
    ):
        answer = client.get(
            "/v1/projections",
            params={"min_position": container.region.head()},
            headers={"Authorization": f"Bearer {tokens['agency']}"},
        )

    assert (answer.status_code, answer.json()["code"]) == (503, "PROJECTION_LAGGING")
    assert answer.headers["content-type"] == "application/problem+json"
