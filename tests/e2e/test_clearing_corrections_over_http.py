"""A confirmed clearing is corrected by a new record pointing at it, and what it leaves owed
back is recovered by offset or payment like a clawback (DOMAIN.md §4b; issue #8, item 5)."""

from __future__ import annotations

from typing import Any

from tests.conftest import Clock
from tests.e2e.conftest import Api
from tests.e2e.scenario import head
from tests.e2e.test_institution_position_over_http import (
    budget_year,
    clear,
    created,
    held,
    position,
)


def clearing(api: Api, budget: str) -> dict[str, Any]:
    shown: dict[str, Any] = api.fresh(f"/v1/budgets/{budget}", head(api))["clearing"]
    return shown


def correct(api: Api, budget: str, fund_pays: str) -> Any:
    body = {"fund_pays": fund_pays, "reason": "清算复核更正"}
    return api.post(f"/v1/budgets/{budget}/clearing/corrections", body)


def test_a_correction_nets_what_is_owed_back_and_a_lower_figure_is_owed_back(
    api: Api, clock: Clock
) -> None:
    budget = budget_year(api, clock, capped_claims=6)  # fund pays 720 000.00, P 1 080 000.00
    clear(api, clock, budget)

    created(correct(api, budget, "800000.00"))
    raised = clearing(api, budget), position(api)
    repayment = {"amount": "280000.00", "method": "payment"}
    created(api.post(f"/v1/budgets/{budget}/clearing/recoveries", repayment))
    repaid = position(api)
    created(correct(api, budget, "700000.00"))
    lowered = clearing(api, budget), position(api)

    shown, held_after_raise = raised
    assert (shown["state"], shown["fund_pays"], shown["clearing_amount"]) == (
        "confirmed",
        "800000.00",
        "-280000.00",
    )
    assert shown["corrections"] == [{"fund_pays": "800000.00", "corrects": "720000.00"}]
    assert (shown["owed_back"], shown["recovered"], shown["outstanding"]) == (
        "360000.00",
        "80000.00",  # the 80 000.00 more the fund owes nets what was owed back (offset)
        "280000.00",
    )
    assert held_after_raise == held("-280000.00")
    assert repaid == held("0.00")
    shown, held_after_lowering = lowered
    assert [c["corrects"] for c in shown["corrections"]] == ["720000.00", "800000.00"]
    assert (shown["fund_pays"], shown["outstanding"]) == ("700000.00", "100000.00")
    assert held_after_lowering == held("-100000.00")


def test_a_correction_beyond_what_is_owed_back_pays_the_rest_out(api: Api, clock: Clock) -> None:
    budget = budget_year(api, clock, capped_claims=6)
    clear(api, clock, budget)

    created(correct(api, budget, "1100000.00"))  # 380 000.00 more: 360 000.00 nets, 20 000.00 paid
    view = api.fresh("/v1/balances/institutions/H31010100001", head(api), year=2026)

    assert clearing(api, budget)["outstanding"] == "0.00"
    assert view["disbursed_by_kind"]["clearing"] == "20000.00"
    assert position(api) == held("0.00")


def test_only_a_confirmed_clearing_is_corrected_and_recoveries_stay_within_what_is_owed(
    api: Api, clock: Clock
) -> None:
    budget = budget_year(api, clock, capped_claims=6)
    early = correct(api, budget, "800000.00")
    clear(api, clock, budget)
    same = correct(api, budget, "720000.00")
    beyond = api.post(
        f"/v1/budgets/{budget}/clearing/recoveries", {"amount": "360000.01", "method": "offset"}
    )
    as_institution = api.post(
        f"/v1/budgets/{budget}/clearing/recoveries",
        {"amount": "1.00", "method": "payment"},
        role="institution",
    )

    assert (early.status_code, early.json()["code"]) == (422, "CLEARING_NOT_CONFIRMED")
    assert (same.status_code, same.json()["code"], same.json()["field"]) == (
        422,
        "VALIDATION_ERROR",
        "fund_pays",
    )
    assert (beyond.status_code, beyond.json()["code"]) == (422, "RECOVERY_EXCEEDS_OUTSTANDING")
    assert as_institution.status_code == 403
    assert clearing(api, budget)["outstanding"] == "360000.00"
