"""The total budget cycle over HTTP: issue, adjust, prepay monthly, follow the year, clear."""

from __future__ import annotations

from typing import Any

from tests.conftest import Clock
from tests.e2e.conftest import Api
from tests.e2e.scenario import claim, enroll, head, open_fund, settle, sign
from tests.support import HOSPITAL


def issue(api: Api, agreement: str, **changes: Any) -> Any:
    body = {
        "agreement_id": agreement,
        "year": 2026,
        "scheme": "resident",
        "amount": "1200000.00",
        "basis": "2026 年统筹基金预算",
    }
    return api.post("/v1/budgets", {**body, **changes})


def funded(api: Api) -> str:
    agreement = sign(api)
    fund = open_fund(api)
    api.post(
        f"/v1/funds/{fund}/contributions",
        {"amount": "2000000.00", "period": "2026-01", "source": "subsidy"},
    )
    return agreement


def test_a_budget_is_issued_once_adjusted_and_prepaid_once_a_month(api: Api) -> None:
    agreement = funded(api)
    issued = issue(api, agreement)
    budget = issued.json()["budget_id"]

    again = issue(api, agreement)
    adjusted = api.post(
        f"/v1/budgets/{budget}/adjustments", {"amount": "1080000.00", "reason": "下调"}
    )
    march = api.post(f"/v1/budgets/{budget}/prepayments", {"month": "2026-03"})
    twice = api.post(f"/v1/budgets/{budget}/prepayments", {"month": "2026-03"})

    assert issued.status_code == 201 and adjusted.status_code == 201
    assert (again.status_code, again.json()["code"]) == (409, "ALREADY_EXISTS")
    assert march.status_code == 201 and march.json()["amount"] == "81000.00"
    assert (twice.status_code, twice.json()["code"]) == (409, "ALREADY_PREPAID")


def test_a_budget_read_shows_history_prepayments_and_the_years_fund_pay(api: Api) -> None:
    agreement = funded(api)
    budget = issue(api, agreement).json()["budget_id"]
    api.post(f"/v1/budgets/{budget}/prepayments", {"month": "2026-01"})
    settled = settle(api, claim(enroll(api), "1300.00"))

    shown = api.fresh(f"/v1/budgets/{budget}", settled["position"], role="institution")

    assert [h["kind"] for h in shown["history"]] == ["issued"]
    assert shown["prepayments"] == [{"month": "2026-01", "amount": "90000.00"}]
    assert shown["year_to_date_fund_pay"] == "650.00"
    assert shown["prorated_budget"] == "300000.00"
    assert shown["use_ratio"] == "0.0005" and shown["warnings"] == []
    assert shown["clearing"]["state"] == "none"


def test_clearing_waits_for_the_year_to_close_then_is_proposed_and_confirmed_once(
    api: Api, clock: Clock
) -> None:
    agreement = funded(api)
    budget = issue(api, agreement).json()["budget_id"]
    settle(api, claim(enroll(api), "1300.00"))

    early = api.post(f"/v1/budgets/{budget}/clearing")
    unproposed = api.post(f"/v1/budgets/{budget}/clearing/confirmation", {"reason": "确认"})
    clock.advance(days=310)
    proposal = api.post(f"/v1/budgets/{budget}/clearing")
    confirmed = api.post(f"/v1/budgets/{budget}/clearing/confirmation", {"reason": "协商一致"})
    twice = api.post(f"/v1/budgets/{budget}/clearing/confirmation", {"reason": "协商一致"})

    assert (early.status_code, early.json()["code"]) == (422, "YEAR_NOT_CLOSED")
    assert (unproposed.status_code, unproposed.json()["code"]) == (422, "CLEARING_NOT_PROPOSED")
    assert proposal.status_code == 201
    assert {k: proposal.json()[k] for k in ("actual", "rule", "fund_pays", "clearing_amount")} == {
        "actual": "650.00",
        "rule": "surplus",
        "fund_pays": "120650.00",
        "clearing_amount": "120650.00",
    }
    assert confirmed.status_code == 201
    assert (twice.status_code, twice.json()["code"]) == (409, "ALREADY_CONFIRMED")


def test_an_unknown_budget_is_not_found(api: Api) -> None:
    unknown = api.get("/v1/budgets/00000000-0000-4000-8000-000000000000")

    assert (unknown.status_code, unknown.json()["code"]) == (404, "NOT_FOUND")


def signed(api: Api, start: str, end: str, budget: str = "1200000.00") -> str:
    body = {
        "institution_code": HOSPITAL,
        "institution_name": "示范医院",
        "level": 1,
        "ownership": "public",
        "term_start": start,
        "term_end": end,
        "annual_budget": budget,
    }
    response = api.post("/v1/agreements", body)
    assert response.status_code == 201, response.text
    return str(response.json()["agreement_id"])


def test_each_budget_is_measured_on_the_claims_of_its_own_agreement(api: Api, clock: Clock) -> None:
    first_half = signed(api, "2026-01-01", "2026-06-30")
    second_half = signed(api, "2026-07-01", "2026-12-31")
    open_fund(api)
    spring = issue(api, first_half).json()["budget_id"]
    autumn = issue(api, second_half).json()["budget_id"]
    settle(api, claim(enroll(api), "1300.00", day="2026-03-10"))  # fund pay 650.00
    clock.advance(days=200)  # 2026-09-18
    settle(api, claim(enroll(api), "2000.00", day="2026-09-01"))  # fund pay 650.00 + 455.00

    spring_view = api.fresh(f"/v1/budgets/{spring}", head(api))
    autumn_view = api.fresh(f"/v1/budgets/{autumn}", head(api))
    spring_agreement = api.fresh(f"/v1/agreements/{first_half}", head(api))
    clock.advance(days=120)  # 2027
    proposal = api.post(f"/v1/budgets/{spring}/clearing").json()

    assert spring_view["year_to_date_fund_pay"] == "650.00"
    assert autumn_view["year_to_date_fund_pay"] == "1105.00"
    assert spring_agreement["budget_use"]["fund_pay"] == "650.00"
    assert proposal["actual"] == "650.00"


def test_the_budgets_of_one_agreement_and_year_stay_within_its_annual_budget(api: Api) -> None:
    agreement = sign(api)  # annual budget 1 200 000.00
    resident = issue(api, agreement, amount="1000000.00")
    over = issue(api, agreement, scheme="employee", amount="200000.01")
    employee = issue(api, agreement, scheme="employee", amount="200000.00")
    raised = api.post(
        f"/v1/budgets/{resident.json()['budget_id']}/adjustments",
        {"amount": "1000000.01", "reason": "追加"},
    )

    assert resident.status_code == 201 and employee.status_code == 201
    for refused in (over, raised):
        assert refused.status_code == 422, refused.text
        assert (refused.json()["code"], refused.json()["field"]) == (
            "BUDGET_EXCEEDS_AGREEMENT",
            "amount",
        )


def test_monitoring_warns_against_the_prorated_budget_and_the_whole_one(api: Api) -> None:
    agreement = funded(api)
    budget = issue(api, agreement, amount="1080.00").json()["budget_id"]  # March: 270.00
    settle(api, claim(enroll(api), "1300.00"))  # fund pay 650.00

    shown = api.fresh(f"/v1/budgets/{budget}", head(api))

    assert (shown["prorated_budget"], shown["prorated_use_ratio"]) == ("270.00", "2.4074")
    assert shown["prorated_warnings"] == ["80%", "90%", "100%"]
    assert (shown["use_ratio"], shown["warnings"]) == ("0.6019", [])
