"""DOMAIN.md §4b, the total budget cycle: the Budget aggregate, then the cycle in the region."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from application.policy_files import load_policy_book
from application.region import Region
from domain.agreement import InstitutionAgreement
from domain.audit import Audit, Stamp, recorded_as
from domain.budget import Budget
from domain.errors import (
    AlreadyConfirmed,
    AlreadyExists,
    AlreadyPrepaid,
    ClearingNotProposed,
    FundNotOpen,
    InsufficientFunds,
    NotFound,
    RecoveryExceedsOutstanding,
    ValidationFailed,
    YearNotClosed,
)
from domain.fund import fund_id
from tests.conftest import Clock
from tests.support import agency, sign

POLICY = load_policy_book().version("demo-2026")
B = Decimal("1200000.00")
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
AFTER_THE_YEAR = date(2027, 1, 5)
FUND = fund_id("resident", "basic", "310000")


# --- the aggregate -----------------------------------------------------------------------


def as_agency(reason: str = "") -> AbstractContextManager[Stamp]:
    return recorded_as(Audit("operator-1", "agency", reason=reason), AT)


def agreement(term_end: date = date(2026, 12, 31)) -> InstitutionAgreement:
    with as_agency():
        return InstitutionAgreement.sign(
            agreement_id=uuid4(),
            institution_code="H31010100001",
            institution_name="测试医院",
            region_code="310000",
            level=1,
            ownership="public",
            term_start=date(2026, 1, 1),
            term_end=term_end,
            annual_budget=B,
        )


def recorded(budget: Budget) -> list[Any]:
    """The events the budget has triggered since last collected (as the store will see them)."""
    return list(budget.collect_events())


def issued(amount: Decimal = B) -> Budget:
    with as_agency():
        budget = Budget.issue(
            agreement(), year=2026, scheme="resident", amount=amount, basis="2026年统筹基金预算"
        )
    budget.collect_events()
    return budget


def test_issuing_a_budget_records_the_figure_and_its_basis() -> None:
    signed = agreement()
    with as_agency():
        budget = Budget.issue(signed, year=2026, scheme="resident", amount=B, basis="2026年预算")

    (event,) = recorded(budget)
    assert type(event).__qualname__ == "Budget.Issued"
    assert (event.amount, event.basis, event.year, event.scheme) == (
        B,
        "2026年预算",
        2026,
        "resident",
    )
    assert budget.region_code == "310000" and budget.agreement_id == signed.id


def test_a_budget_needs_a_basis_and_a_year_the_agreement_covers() -> None:
    with as_agency(), pytest.raises(ValidationFailed, match="basis"):
        Budget.issue(agreement(), year=2026, scheme="resident", amount=B, basis=" ")
    with as_agency(), pytest.raises(ValidationFailed, match="year"):
        Budget.issue(agreement(), year=2027, scheme="resident", amount=B, basis="预算")


def test_a_month_is_prepaid_a_ninth_tenth_of_a_twelfth_and_only_once() -> None:
    budget = issued()
    with as_agency():
        amount = budget.prepay("2026-01", POLICY)
        with pytest.raises(AlreadyPrepaid):
            budget.prepay("2026-01", POLICY)

    (prepaid,) = recorded(budget)
    assert amount == prepaid.amount == Decimal("90000.00")
    assert (prepaid.month, prepaid.policy_version) == ("2026-01", "demo-2026")


def test_a_month_outside_the_budget_year_is_refused() -> None:
    budget = issued()
    with as_agency(), pytest.raises(ValidationFailed, match="month"):
        budget.prepay("2027-01", POLICY)


def test_an_adjustment_needs_a_reason_and_leaves_earlier_prepayments_alone() -> None:
    budget = issued()
    with as_agency():
        budget.prepay("2026-01", POLICY)
        with pytest.raises(ValidationFailed, match="reason"):
            budget.adjust(Decimal("2400000.00"))
    with as_agency("床位扩容"):
        budget.adjust(Decimal("2400000.00"))
        budget.prepay("2026-02", POLICY)

    _, adjusted, _ = recorded(budget)
    assert adjusted.amount == Decimal("2400000.00") and adjusted.audit.reason == "床位扩容"
    assert budget.prepayments == {"2026-01": Decimal("90000.00"), "2026-02": Decimal("180000.00")}


def test_clearing_cannot_be_proposed_before_the_year_has_closed() -> None:
    budget = issued()
    with as_agency(), pytest.raises(YearNotClosed):
        budget.propose_clearing(B, as_of_position=0, policy=POLICY, today=date(2026, 12, 31))


def test_confirming_without_a_proposal_is_refused() -> None:
    budget = issued()
    with as_agency("清算确认"), pytest.raises(ClearingNotProposed):
        budget.confirm_clearing()


def test_a_negative_clearing_is_recorded_as_owed_back_and_then_recovered() -> None:
    budget = issued()
    with as_agency("清算确认"):
        for month in MONTHS:
            budget.prepay(month, POLICY)
        budget.propose_clearing(
            Decimal("600000.00"), as_of_position=7, policy=POLICY, today=AFTER_THE_YEAR
        )
        amount = budget.confirm_clearing()
        with pytest.raises(RecoveryExceedsOutstanding):
            budget.record_recovery(Decimal("360000.01"), "payment")
        budget.record_recovery(Decimal("60000.00"), "offset")

    *_, proposed, confirmed, owed, recovered = recorded(budget)
    assert proposed.clearing.clearing_amount == amount == Decimal("-360000.00")
    assert proposed.as_of_position == 7
    assert confirmed.clearing_amount == Decimal("-360000.00")
    assert owed.amount == Decimal("360000.00")
    assert (recovered.amount, recovered.method) == (Decimal("60000.00"), "offset")
    assert budget.outstanding == Decimal("300000.00")


def test_a_confirmed_clearing_is_final() -> None:
    budget = issued()
    with as_agency("清算确认"):
        budget.propose_clearing(B, as_of_position=0, policy=POLICY, today=AFTER_THE_YEAR)
        budget.confirm_clearing()
        with pytest.raises(AlreadyConfirmed):
            budget.confirm_clearing()
        with pytest.raises(AlreadyConfirmed):
            budget.adjust(Decimal("1.00"))
        with pytest.raises(AlreadyConfirmed):
            budget.prepay("2026-12", POLICY)
        with pytest.raises(AlreadyConfirmed):
            budget.propose_clearing(B, as_of_position=0, policy=POLICY, today=AFTER_THE_YEAR)


def test_an_adjustment_withdraws_an_unconfirmed_proposal() -> None:
    budget = issued()
    with as_agency("年终调整"):
        budget.propose_clearing(B, as_of_position=0, policy=POLICY, today=AFTER_THE_YEAR)
        budget.adjust(Decimal("1300000.00"))
        with pytest.raises(ClearingNotProposed):
            budget.confirm_clearing()


# --- the cycle through the region --------------------------------------------------------


def funded_budget(region: Region, balance: str = "5000000.00") -> UUID:
    """An agreement, the resident basic fund holding `balance`, and a 2026 budget of B."""
    agreement_id = sign(region, annual_budget="3000000.00")  # room for a raised budget
    region.open_fund(
        agency(), scheme="resident", layer="basic", region_code="310000", name="居民统筹基金"
    )
    region.receive_contribution(
        agency(), FUND, amount=Decimal(balance), period="2026-01", source="subsidy"
    )
    return region.issue_budget(
        agency(),
        agreement_id=agreement_id,
        year=2026,
        scheme="resident",
        amount=B,
        basis="2026年居民统筹基金预算",
    ).budget_id


@pytest.mark.parametrize(
    ("actual", "months", "fund_pays", "clearing"),
    [
        ("1000000.00", 12, "1100000.00", "20000.00"),
        ("1260000.00", 12, "1230000.00", "150000.00"),
        ("1500000.00", 12, "1260000.00", "180000.00"),
        ("950000.00", 11, "1070000.00", "80000.00"),
    ],
)
def test_each_worked_positive_clearing_is_paid_out_on_confirmation(
    memory_region: Region, clock: Clock, actual: str, months: int, fund_pays: str, clearing: str
) -> None:
    budget = funded_budget(memory_region)
    for month in MONTHS[:months]:
        memory_region.prepay(agency(), budget, month=month)
    clock.now = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)

    proposed = memory_region.propose_clearing(
        agency(), budget, actual=Decimal(actual), as_of_position=memory_region.head()
    )
    memory_region.confirm_clearing(agency(), budget, reason="清算结果已公示")

    assert (proposed.fund_pays, proposed.clearing_amount) == (Decimal(fund_pays), Decimal(clearing))
    prepaid = Decimal("90000.00") * months
    assert proposed.prepaid == prepaid
    balance = Decimal("5000000.00") - prepaid - Decimal(clearing)
    assert memory_region.fund_balance(FUND) == balance
    assert memory_region.repository.get(budget).confirmed


def test_a_large_surplus_leaves_360_000_owed_back_until_it_is_recovered(
    memory_region: Region, clock: Clock
) -> None:
    budget = funded_budget(memory_region)
    for month in MONTHS:
        memory_region.prepay(agency(), budget, month=month)
    clock.now = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)
    memory_region.propose_clearing(
        agency(), budget, actual=Decimal("600000.00"), as_of_position=memory_region.head()
    )
    memory_region.confirm_clearing(agency(), budget, reason="清算结果已公示")

    assert memory_region.fund_balance(FUND) == Decimal("3920000.00")
    cleared: Budget = memory_region.repository.get(budget)
    assert cleared.fund_pays is not None
    assert (cleared.fund_pays - cleared.prepaid, cleared.outstanding) == (
        Decimal("-360000.00"),
        Decimal("360000.00"),
    )

    memory_region.record_clearing_recovery(
        agency(), budget, amount=Decimal("360000.00"), method="payment"
    )
    assert memory_region.fund_balance(FUND) == Decimal("4280000.00")
    assert memory_region.repository.get(budget).outstanding == Decimal("0.00")


def test_an_adjustment_changes_no_earlier_prepayment_and_adds_no_catch_up(
    memory_region: Region,
) -> None:
    budget = funded_budget(memory_region)
    memory_region.prepay(agency(), budget, month="2026-01")
    memory_region.adjust_budget(agency(), budget, amount=Decimal("2400000.00"), reason="扩容")
    second = memory_region.prepay(agency(), budget, month="2026-02")

    adjusted: Budget = memory_region.repository.get(budget)
    assert second.amount == Decimal("180000.00") and second.fund_id == FUND
    assert adjusted.prepayments == {
        "2026-01": Decimal("90000.00"),
        "2026-02": Decimal("180000.00"),
    }
    assert adjusted.prepaid == Decimal("270000.00")
    assert adjusted.amount == Decimal("2400000.00")


def test_prepaying_a_month_twice_is_a_conflict_and_records_nothing(memory_region: Region) -> None:
    budget = funded_budget(memory_region)
    memory_region.prepay(agency(), budget, month="2026-03")
    head = memory_region.head()

    with pytest.raises(AlreadyPrepaid) as refused:
        memory_region.prepay(agency(), budget, month="2026-03")
    assert refused.value.code == "ALREADY_PREPAID"
    assert memory_region.head() == head


def test_a_prepayment_beyond_the_fund_balance_is_refused_and_records_nothing(
    memory_region: Region,
) -> None:
    budget = funded_budget(memory_region, balance="89999.99")
    head = memory_region.head()

    with pytest.raises(InsufficientFunds):
        memory_region.prepay(agency(), budget, month="2026-01")
    assert memory_region.head() == head
    assert memory_region.repository.get(budget).prepayments == {}
    assert memory_region.fund_balance(FUND) == Decimal("89999.99")


def test_a_clearing_the_fund_cannot_pay_leaves_the_proposal_unconfirmed(
    memory_region: Region, clock: Clock
) -> None:
    budget = funded_budget(memory_region, balance="1080000.00")
    for month in MONTHS:
        memory_region.prepay(agency(), budget, month=month)
    clock.now = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)
    memory_region.propose_clearing(agency(), budget, actual=B, as_of_position=0)

    with pytest.raises(InsufficientFunds):
        memory_region.confirm_clearing(agency(), budget, reason="清算结果已公示")
    proposed: Budget = memory_region.repository.get(budget)
    assert proposed.proposal is not None and not proposed.confirmed


def test_clearing_before_the_year_has_closed_is_refused(
    memory_region: Region, clock: Clock
) -> None:
    budget = funded_budget(memory_region)
    clock.now = datetime(2026, 12, 31, 15, 59, tzinfo=UTC)  # 23:59 in Shanghai

    with pytest.raises(YearNotClosed):
        memory_region.propose_clearing(agency(), budget, actual=B, as_of_position=0)


def test_a_new_proposal_replaces_an_unconfirmed_one(memory_region: Region, clock: Clock) -> None:
    budget = funded_budget(memory_region)
    clock.now = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)
    memory_region.propose_clearing(agency(), budget, actual=B, as_of_position=0)
    memory_region.propose_clearing(agency(), budget, actual=Decimal("1000000.00"), as_of_position=5)

    replaced: Budget = memory_region.repository.get(budget)
    assert replaced.proposal is not None and not replaced.confirmed
    assert (replaced.proposal.actual, replaced.proposed_as_of) == (Decimal("1000000.00"), 5)


def test_one_budget_per_agreement_year_and_scheme(memory_region: Region) -> None:
    budget = funded_budget(memory_region)
    agreement_id: UUID = memory_region.repository.get(budget).agreement_id

    with pytest.raises(AlreadyExists):
        memory_region.issue_budget(
            agency(), agreement_id=agreement_id, year=2026, scheme="resident", amount=B, basis="x"
        )
    with pytest.raises(NotFound):
        memory_region.issue_budget(
            agency(), agreement_id=uuid4(), year=2026, scheme="resident", amount=B, basis="x"
        )


def test_prepaying_without_a_basic_fund_of_the_scheme_is_refused(memory_region: Region) -> None:
    agreement_id = sign(memory_region)
    budget = memory_region.issue_budget(
        agency(), agreement_id=agreement_id, year=2026, scheme="employee", amount=B, basis="x"
    ).budget_id

    with pytest.raises(FundNotOpen):
        memory_region.prepay(agency(), budget, month="2026-01")
