"""Properties of the settlement arithmetic under demo-2026, for any claim and person state."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from application.policy_files import load_policy_book
from domain.money import ZERO, fen
from domain.settlement_rules import (
    Claimant,
    ClaimItem,
    ClaimRequest,
    SettlementResult,
    adjudicate,
    in_waiting_period,
)

POLICY = load_policy_book().version("demo-2026")
FAST = settings(max_examples=200, deadline=None)

cents = st.integers(min_value=0, max_value=5_000_000).map(lambda c: Decimal(c) / 100)


@st.composite
def items(draw: st.DrawFn) -> ClaimItem:
    quantity = Decimal(draw(st.integers(min_value=1, max_value=20)))
    unit_price = draw(cents)
    category = draw(st.sampled_from("ABC"))
    return ClaimItem("X", "item", category, quantity, unit_price, fen(quantity * unit_price))


@st.composite
def claimants(draw: st.DrawFn) -> Claimant:
    scheme = draw(st.sampled_from(("resident", "employee")))
    limit = POLICY.scheme(scheme).basic_limit
    # Often a full basic layer, so the major layer and the annual cap get exercised too.
    basic = draw(st.just(limit) | st.integers(0, int(limit * 100)).map(lambda c: Decimal(c) / 100))
    major = (
        draw(st.integers(0, 7_500_000).map(lambda c: Decimal(c) / 100)) if basic == limit else ZERO
    )
    return Claimant(
        scheme=scheme,
        birth_date=draw(st.dates(date(1920, 1, 1), date(2026, 6, 1))),
        categories=frozenset(
            draw(st.sets(st.sampled_from(("student", "infant", "low_income", "severely_disabled"))))
        ),
        enrolled_on=draw(st.dates(date(2020, 1, 1), date(2026, 12, 31))),
        contribution_start=draw(st.none() | st.dates(date(1990, 1, 1), date(2026, 12, 31))),
        outpatient_deductible_used=draw(st.integers(0, 120_000).map(lambda c: Decimal(c) / 100)),
        fund_paid_basic=basic,
        fund_paid_major=major,
        account_balance=draw(cents),
    )


requests = st.builds(
    ClaimRequest,
    visit_type=st.sampled_from(("outpatient", "inpatient")),
    service_date=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    items=st.lists(items(), min_size=1, max_size=6).map(tuple),
)
levels = st.sampled_from((1, 2, 3))


def money_fields(result: SettlementResult) -> list[Decimal]:
    names = ("total", "out_of_scope", "self_pay_first", "eligible", "deductible", "fund_pay")
    more = ("basic_fund_pay", "major_fund_pay", "over_cap", "account_pay", "cash_pay")
    return [getattr(result, name) for name in names + more] + [
        result.outpatient_deductible_consumed
    ]


@FAST
@given(requests, claimants(), levels)
def test_total_is_always_fund_plus_account_plus_cash(
    request: ClaimRequest, claimant: Claimant, level: int
) -> None:
    result = adjudicate(request, claimant, level, POLICY)

    assert result.total == result.fund_pay + result.account_pay + result.cash_pay
    assert result.fund_pay == result.basic_fund_pay + result.major_fund_pay


@FAST
@given(requests, claimants(), levels)
def test_fund_pay_never_exceeds_the_room_left_under_the_cap_or_the_basic_limit(
    request: ClaimRequest, claimant: Claimant, level: int
) -> None:
    rules = POLICY.scheme(claimant.scheme)
    result = adjudicate(request, claimant, level, POLICY)

    paid = claimant.fund_paid_basic + claimant.fund_paid_major
    assert paid + result.fund_pay <= max(rules.annual_cap, paid)
    assert claimant.fund_paid_basic + result.basic_fund_pay <= rules.basic_limit


@FAST
@given(requests, claimants(), levels)
def test_no_amount_is_negative_and_accumulators_never_decrease(
    request: ClaimRequest, claimant: Claimant, level: int
) -> None:
    result = adjudicate(request, claimant, level, POLICY)

    assert all(amount >= 0 for amount in money_fields(result))
    assert all(amount == fen(amount) for amount in money_fields(result))
    assert result.account_pay <= claimant.account_balance
    used_after = claimant.outpatient_deductible_used + result.outpatient_deductible_consumed
    assert used_after >= claimant.outpatient_deductible_used
    assert claimant.fund_paid_basic + result.basic_fund_pay >= claimant.fund_paid_basic
    assert claimant.fund_paid_major + result.major_fund_pay >= claimant.fund_paid_major


@FAST
@given(requests, claimants(), levels, st.dates(date(2026, 4, 11), date(2026, 12, 31)))
def test_waiting_period_means_no_fund_pay_at_all(
    request: ClaimRequest, claimant: Claimant, level: int, service_date: date
) -> None:
    late = replace(
        claimant,
        scheme="resident",
        birth_date=date(1980, 1, 1),
        enrolled_on=service_date - timedelta(days=10),
    )
    result = adjudicate(replace(request, service_date=service_date), late, level, POLICY)

    assert in_waiting_period(late, service_date, POLICY)
    assert (result.fund_pay, result.deductible, result.ratio) == (ZERO, ZERO, ZERO)
    assert result.outpatient_deductible_consumed == ZERO
    assert result.reason_codes == ("WAITING_PERIOD",)
    assert result.cash_pay == result.total
