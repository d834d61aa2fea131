"""An institution's position with the fund over HTTP: every worked example of DOMAIN.md §4,
each amount counted once, and neither `owed_…` figure ever negative (issue #8, item 4)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.conftest import Clock
from tests.e2e.conftest import Api
from tests.e2e.scenario import claim, enrollment, head, open_fund, settle, sign
from tests.support import HOSPITAL

END_OF_2026 = datetime(2026, 12, 31, 2, 0, tzinfo=UTC)
JANUARY_2027 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)


def resident(api: Api) -> str:
    """A resident with no contribution bonus (enrolled 2025)."""
    body = {**enrollment(), "contribution_start": "2025-01-02"}
    response = api.post("/v1/persons", body)
    assert response.status_code == 201, response.text
    return str(response.json()["person_id"])


def inpatient(api: Api, amount: str) -> dict[str, Any]:
    stay = claim(resident(api), amount)
    return settle(api, {**stay, "visit_type": "inpatient"})


def funded(api: Api, amount: str) -> str:
    fund = open_fund(api)
    body = {"amount": amount, "period": "2026-01", "source": "subsidy"}
    assert api.post(f"/v1/funds/{fund}/contributions", body).status_code == 201
    return fund


def position(api: Api) -> dict[str, Any]:
    """The balances view's figures once it has caught up with everything recorded."""
    view = api.fresh(f"/v1/balances/institutions/{HOSPITAL}", head(api), year=2026)
    return {
        "position": view["position"]["amount"],
        "owed_by_fund": view["owed_by_fund"],
        "owed_to_fund": view["owed_to_fund"],
    }


def held(amount: str) -> dict[str, str]:
    """What the view must show for a position (positive: owed by the fund)."""
    negative = amount.startswith("-")
    return {
        "position": amount,
        "owed_by_fund": "0.00" if negative else amount,
        "owed_to_fund": amount[1:] if negative else "0.00",
    }


def created(response: Any) -> Any:
    assert response.status_code == 201, response.text
    return response.json()


def test_settled_disbursed_clawed_back_at_once_and_repaid(api: Api) -> None:
    agreement = sign(api, level=3)
    fund = funded(api, "100000.00")
    settled = inpatient(api, "2700.00")  # level 3: (2 700 − 700) × 50 %
    assert settled["fund_pay"] == "1000.00"

    disbursement = {"agreement_id": agreement, "period": "2026-03", "amount": "1000.00"}
    created(api.post(f"/v1/funds/{fund}/disbursements", disbursement))
    paid = position(api)
    clawback = created(
        api.post(
            "/v1/clawbacks",
            {
                "agreement_id": agreement,
                "settlement_ids": [settled["settlement_id"]],
                "amount": "200.00",
                "basis": "violation",
                "penalty_multiple": "1",
                "reason": "串换项目",
            },
        )
    )
    clawed = position(api)
    repayment = {"amount": "400.00", "method": "payment"}
    created(api.post(f"/v1/clawbacks/{clawback['clawback_id']}/recoveries", repayment))
    repaid = position(api)

    assert (paid, clawed, repaid) == (held("0.00"), held("-400.00"), held("0.00"))


def test_an_offset_moves_neither_figure_the_smaller_disbursement_it_leads_to_does(
    api: Api,
) -> None:
    agreement = sign(api, level=3)
    fund = funded(api, "100000.00")
    first = inpatient(api, "2700.00")
    pay = {"agreement_id": agreement, "period": "2026-03", "amount": "1000.00"}
    created(api.post(f"/v1/funds/{fund}/disbursements", pay))
    assessment = {
        "agreement_id": agreement,
        "settlement_ids": [first["settlement_id"]],
        "amount": "200.00",
        "basis": "violation",
        "penalty_multiple": "1",
        "reason": "串换项目",
    }
    clawback = created(api.post("/v1/clawbacks", assessment))["clawback_id"]
    offset = {"amount": "400.00", "method": "offset"}
    created(api.post(f"/v1/clawbacks/{clawback}/recoveries", offset))
    after_offset = position(api)
    inpatient(api, "2700.00")  # another 1 000.00 owed, paid 400.00 less
    smaller = {"agreement_id": agreement, "period": "2026-03", "amount": "600.00"}
    created(api.post(f"/v1/funds/{fund}/disbursements", smaller))

    assert (after_offset, position(api)) == (held("-400.00"), held("0.00"))


def budget_year(api: Api, clock: Clock, capped_claims: int) -> str:
    """B = 1 200 000.00 for 2026, all 12 months prepaid (P = 1 080 000.00), and A = 100 000.00
    per capped claim (a resident's annual cap); the clock at the end of 2026."""
    clock.now = END_OF_2026
    agreement = sign(api)
    funded(api, "3000000.00")
    budget = created(
        api.post(
            "/v1/budgets",
            {
                "agreement_id": agreement,
                "year": 2026,
                "scheme": "resident",
                "amount": "1200000.00",
                "basis": "2026 年统筹基金预算",
            },
        )
    )["budget_id"]
    for month in range(1, 13):
        created(api.post(f"/v1/budgets/{budget}/prepayments", {"month": f"2026-{month:02d}"}))
    for _ in range(capped_claims):
        assert inpatient(api, "200000.00")["fund_pay"] == "100000.00"
    return str(budget)


def clear(api: Api, clock: Clock, budget: str) -> dict[str, Any]:
    clock.now = JANUARY_2027
    proposal = created(api.post(f"/v1/budgets/{budget}/clearing"))
    created(api.post(f"/v1/budgets/{budget}/clearing/confirmation", {"reason": "清算结果已公示"}))
    return dict(proposal)


def test_a_large_surplus_is_owed_back_after_its_clearing_and_repaid(api: Api, clock: Clock) -> None:
    budget = budget_year(api, clock, capped_claims=6)  # A = 600 000.00
    before = position(api)
    proposal = clear(api, clock, budget)
    confirmed = position(api)
    repayment = {"amount": "360000.00", "method": "payment"}
    created(api.post(f"/v1/budgets/{budget}/clearing/recoveries", repayment))
    repaid = position(api)

    assert (proposal["fund_pays"], proposal["clearing_amount"]) == ("720000.00", "-360000.00")
    assert (before, confirmed, repaid) == (held("-480000.00"), held("-360000.00"), held("0.00"))


def test_a_surplus_year_ends_at_zero_once_its_clearing_is_paid(api: Api, clock: Clock) -> None:
    budget = budget_year(api, clock, capped_claims=10)  # A = 1 000 000.00
    before = position(api)
    proposal = clear(api, clock, budget)
    view = api.fresh(f"/v1/balances/institutions/{HOSPITAL}", head(api), year=2026)

    assert before == held("-80000.00")
    assert (proposal["fund_pays"], proposal["clearing_amount"]) == ("1100000.00", "20000.00")
    # Confirmed, fund pays 1 100 000.00 → +20 000.00; the clearing disbursement (made with the
    # confirmation) of 20 000.00 → 0.
    assert view["position"]["obligation"] == "1100000.00"
    assert view["disbursed_by_kind"]["clearing"] == "20000.00"
    assert position(api) == held("0.00")
