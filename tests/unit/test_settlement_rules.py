"""DOMAIN.md §5: the settlement vectors of demo-2026 and the worked examples."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from application.policy_files import load_policy_book
from domain.money import ZERO
from domain.policy import Policy, UnknownLevel
from domain.settlement_rules import (
    Claimant,
    ClaimItem,
    ClaimRequest,
    ItemAmountMismatch,
    SettlementResult,
    adjudicate,
    check_items,
    in_waiting_period,
)

VECTORS = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "settlement-demo-2026.json").read_text("utf-8")
)
POLICY = load_policy_book().version("demo-2026")
SERVICE_DAY = date(2026, 6, 15)


def claimant_from(person: dict[str, Any], policy: Policy) -> Claimant:
    """The vectors give one year-to-date fund total; the basic layer fills first."""
    fund_paid = Decimal(person["year_to_date"]["fund_paid"])
    basic = min(fund_paid, policy.scheme(person["scheme"]).basic_limit)
    start = person["contribution_start"]
    return Claimant(
        scheme=person["scheme"],
        birth_date=date.fromisoformat(person["birth_date"]),
        categories=frozenset(person["categories"]),
        enrolled_on=date.fromisoformat(person["enrolled_on"]),
        contribution_start=date.fromisoformat(start) if start else None,
        outpatient_deductible_used=Decimal(person["year_to_date"]["outpatient_deductible_used"]),
        fund_paid_basic=basic,
        fund_paid_major=fund_paid - basic,
        account_balance=Decimal(person["account_balance"]),
    )


def request_from(data: dict[str, Any]) -> ClaimRequest:
    items = tuple(
        ClaimItem(
            code=item["code"],
            name=item["name"],
            category=item["category"],
            quantity=Decimal(item["quantity"]),
            unit_price=Decimal(item["unit_price"]),
            amount=Decimal(item["amount"]),
        )
        for item in data["items"]
    )
    return ClaimRequest(
        visit_type=data["visit_type"],
        service_date=date.fromisoformat(data["service_date"]),
        items=items,
    )


def resident(age: int, *, categories: frozenset[str] = frozenset(), used: str = "0.00") -> Claimant:
    return Claimant(
        scheme="resident",
        birth_date=date(SERVICE_DAY.year - age, 1, 1),
        categories=categories,
        enrolled_on=date(2020, 1, 2),
        contribution_start=date(2020, 1, 1),
        outpatient_deductible_used=Decimal(used),
        fund_paid_basic=ZERO,
        fund_paid_major=ZERO,
        account_balance=ZERO,
    )


def outpatient(amount: str, visit_type: str = "outpatient") -> ClaimRequest:
    item = ClaimItem("X001", "consultation", "A", Decimal(1), Decimal(amount), Decimal(amount))
    return ClaimRequest(visit_type=visit_type, service_date=SERVICE_DAY, items=(item,))


@pytest.mark.parametrize("case", VECTORS["cases"], ids=[c["name"] for c in VECTORS["cases"]])
def test_every_vector_settles_as_expected_and_moves_the_person_as_expected(
    case: dict[str, Any],
) -> None:
    claimant = claimant_from(case["person"], POLICY)
    result = adjudicate(request_from(case["request"]), claimant, case["institution_level"], POLICY)

    expected = case["expected"]
    for name, value in expected.items():
        if name == "reason_codes":
            continue
        assert getattr(result, name) == Decimal(value), name
        assert str(getattr(result, name)) == value, f"{name} has 2 places"
    assert result.reason_codes == tuple(expected.get("reason_codes", ()))
    assert result.policy_version == VECTORS["policy_version"]

    after = case["expected_person_after"]
    used = claimant.outpatient_deductible_used + result.outpatient_deductible_consumed
    fund_paid = claimant.fund_paid_basic + claimant.fund_paid_major + result.fund_pay
    balance = claimant.account_balance - result.account_pay
    assert used == Decimal(after["outpatient_deductible_used"])
    assert fund_paid == Decimal(after["fund_paid"])
    assert balance == Decimal(after["account_balance"])


def test_senior_outpatient_of_1300_at_level_1_pays_650_after_a_300_deductible() -> None:
    result = adjudicate(outpatient("1300.00"), resident(65), 1, POLICY)

    assert (result.deductible, result.fund_pay, result.cash_pay) == (
        Decimal("300.00"),
        Decimal("650.00"),
        Decimal("650.00"),
    )


def test_adult_first_1000_goes_to_the_deductible_and_the_next_200_pays_110() -> None:
    first = adjudicate(outpatient("1000.00"), resident(40), 2, POLICY)
    used = first.outpatient_deductible_consumed
    second = adjudicate(outpatient("200.00"), resident(40, used=str(used)), 2, POLICY)

    assert first.fund_pay == Decimal("0.00")
    assert used == Decimal("1000.00")
    assert second.fund_pay == Decimal("110.00")


def test_adult_outpatient_of_2000_at_level_3_pays_500_after_a_1000_deductible() -> None:
    result = adjudicate(outpatient("2000.00"), resident(30), 3, POLICY)

    assert (result.deductible, result.fund_pay) == (Decimal("1000.00"), Decimal("500.00"))


def test_student_outpatient_of_250_pays_nothing_and_uses_250_of_the_deductible() -> None:
    result = adjudicate(
        outpatient("250.00"), resident(17, categories=frozenset({"student"})), 2, POLICY
    )

    assert result.fund_pay == Decimal("0.00")
    assert result.outpatient_deductible_consumed == Decimal("250.00")


def test_infant_under_7_at_service_date_gets_the_lower_outpatient_deductible() -> None:
    result = adjudicate(outpatient("500.00"), resident(6), 1, POLICY)

    assert result.deductible == Decimal("300.00")


def test_inpatient_admission_consumes_nothing_of_the_outpatient_deductible() -> None:
    result = adjudicate(outpatient("1000.00", "inpatient"), resident(40), 1, POLICY)

    assert result.deductible == Decimal("300.00")
    assert result.outpatient_deductible_consumed == Decimal("0.00")


def test_late_resident_enrolment_waits_three_months_but_a_newborn_does_not() -> None:
    late = Claimant(
        "resident", date(1990, 1, 1), frozenset(), date(2026, 4, 1), None, ZERO, ZERO, ZERO, ZERO
    )
    newborn = Claimant(
        "resident", date(2026, 2, 1), frozenset(), date(2026, 5, 1), None, ZERO, ZERO, ZERO, ZERO
    )
    early = Claimant(
        "resident", date(1990, 1, 1), frozenset(), date(2026, 3, 31), None, ZERO, ZERO, ZERO, ZERO
    )

    assert in_waiting_period(late, date(2026, 6, 30), POLICY)
    assert not in_waiting_period(late, date(2026, 7, 1), POLICY)
    assert not in_waiting_period(newborn, date(2026, 5, 2), POLICY)
    assert not in_waiting_period(early, date(2026, 4, 1), POLICY)


def test_waiting_period_settles_with_no_fund_pay_and_the_resident_pays_it_all_in_cash() -> None:
    late_resident = Claimant(
        "resident", date(1990, 1, 1), frozenset(), date(2026, 6, 1), None, ZERO, ZERO, ZERO, ZERO
    )
    result = adjudicate(outpatient("600.00"), late_resident, 2, POLICY)

    assert result.reason_codes == ("WAITING_PERIOD",)
    assert (result.fund_pay, result.ratio, result.deductible) == (ZERO, ZERO, ZERO)
    assert result.cash_pay == Decimal("600.00")


def test_an_item_whose_amount_is_not_quantity_times_price_is_refused_by_index() -> None:
    good = ClaimItem("X1", "a", "A", Decimal(2), Decimal("1.50"), Decimal("3.00"))
    bad = ClaimItem("X2", "b", "B", Decimal(3), Decimal("133.33"), Decimal("400.00"))

    with pytest.raises(ItemAmountMismatch) as refused:
        check_items((good, bad))

    assert refused.value.field == "items[1].amount"


def test_an_unknown_category_a_negative_price_and_no_items_are_refused() -> None:
    unknown = ClaimItem("X1", "a", "D", Decimal(1), Decimal("1.00"), Decimal("1.00"))
    negative = ClaimItem("X1", "a", "A", Decimal(1), Decimal("-1.00"), Decimal("-1.00"))

    for items, field in (((unknown,), "items[0].category"), ((negative,), "items[0].unit_price")):
        with pytest.raises(ItemAmountMismatch) as refused:
            check_items(items)
        assert refused.value.field == field
    with pytest.raises(ItemAmountMismatch):
        check_items(())


def test_an_unknown_institution_level_is_refused() -> None:
    with pytest.raises(UnknownLevel):
        adjudicate(outpatient("100.00"), resident(40), 4, POLICY)


def test_result_names_the_policy_version_used() -> None:
    result: SettlementResult = adjudicate(outpatient("100.00"), resident(40), 1, POLICY)

    assert result.policy_version == "demo-2026"
