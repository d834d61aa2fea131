"""Fund accounts never go negative; clawbacks respect their multiples and the fund pay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest

from application.clawbacks import Assessed
from application.region import Region
from domain.errors import (
    AlreadyExists,
    ClawbackExceedsFundPay,
    InsufficientFunds,
    RecoveryExceedsOutstanding,
    SettlementNotOfAgreement,
    SettlementNotReversible,
    ValidationFailed,
)
from tests.support import agency, claim, enroll, institution, sign


def open_funds(region: Region) -> dict[str, UUID]:
    return {
        layer: region.open_fund(
            agency(), scheme="resident", layer=layer, region_code="310000", name=f"resident {layer}"
        ).fund_id
        for layer in ("basic", "major")
    }


def settled(region: Region, person: UUID, amount: str, request_id: str) -> UUID:
    record = region.settle(
        institution(request_id=request_id), claim(person, amount, request_id=request_id)
    )
    assert record.status == "settled"
    return record.settlement_id


def claw(
    region: Region,
    agreement: UUID,
    settlements: list[UUID],
    amount: str,
    *,
    basis: str = "violation",
    multiple: str | int = 1,
    reason: str = "违规",
) -> Assessed:
    """An agency assessment of `amount` against the named settlements."""
    return region.assess_clawback(
        agency(),
        agreement_id=agreement,
        settlement_ids=settlements,
        amount=Decimal(amount),
        basis=basis,
        penalty_multiple=Decimal(multiple),
        reason=reason,
    )


def test_a_fund_is_opened_once_per_scheme_layer_and_region(memory_region: Region) -> None:
    open_funds(memory_region)
    with pytest.raises(AlreadyExists):
        open_funds(memory_region)


def test_a_disbursement_beyond_the_balance_is_refused_and_changes_nothing(
    memory_region: Region,
) -> None:
    agreement = sign(memory_region)
    basic = open_funds(memory_region)["basic"]
    memory_region.receive_contribution(
        agency(), basic, amount=Decimal("1000.00"), period="2026-01", source="subsidy"
    )
    head = memory_region.head()
    with pytest.raises(InsufficientFunds):
        memory_region.disburse(
            agency(), basic, agreement_id=agreement, period="2026-02", amount=Decimal("1000.01")
        )
    assert memory_region.head() == head
    memory_region.disburse(
        agency(), basic, agreement_id=agreement, period="2026-02", amount=Decimal("1000.00")
    )
    assert memory_region.fund_balance(basic) == Decimal("0.00")


def test_a_penalty_multiple_outside_its_basis_range_names_penalty_multiple(
    memory_region: Region,
) -> None:
    agreement = sign(memory_region)
    person = enroll(memory_region)
    sid = settled(memory_region, person, "1300.00", "R1")
    with pytest.raises(ValidationFailed) as refused:
        claw(
            memory_region,
            agreement,
            [sid],
            "100.00",
            basis="violation",
            multiple="2.5",
            reason="超标准收费",
        )
    assert refused.value.field == "penalty_multiple"


@pytest.mark.parametrize(
    ("basis", "multiple", "penalty"),
    [
        ("violation", "1", "100.00"),
        ("violation", "2", "200.00"),
        ("fraud", "2", "200.00"),
        ("fraud", "5", "500.00"),
    ],
)
def test_penalty_is_the_amount_times_the_multiple_bounds_inclusive(
    memory_region: Region, basis: str, multiple: str, penalty: str
) -> None:
    agreement = sign(memory_region)
    person = enroll(memory_region)
    sid = settled(memory_region, person, "1300.00", "R1")
    assessed = claw(
        memory_region, agreement, [sid], "100.00", basis=basis, multiple=multiple, reason="违规"
    )
    assert assessed.penalty == Decimal(penalty)


def test_a_settlement_is_clawed_back_at_most_its_fund_pay_in_total(memory_region: Region) -> None:
    agreement = sign(memory_region)
    person = enroll(memory_region)
    sid = settled(memory_region, person, "1300.00", "R1")  # fund pay 650.00

    claw(memory_region, agreement, [sid], "400.00")
    with pytest.raises(ClawbackExceedsFundPay):
        claw(memory_region, agreement, [sid], "250.01")
    claw(memory_region, agreement, [sid], "250.00")
    assert memory_region.settlement(sid).status == "clawed_back"
    with pytest.raises(ClawbackExceedsFundPay):
        claw(memory_region, agreement, [sid], "0.01")


def test_clawback_leaves_the_patients_accumulators_alone(memory_region: Region) -> None:
    agreement = sign(memory_region)
    person = enroll(memory_region)
    sid = settled(memory_region, person, "1300.00", "R1")
    claw(memory_region, agreement, [sid], "650.00", basis="fraud", multiple=2, reason="骗保")
    assert memory_region.person(person, 2026).fund_paid_basic == Decimal("650.00")
    with pytest.raises(SettlementNotReversible):
        memory_region.reverse_settlement(institution(), sid, reason="撤销")


def test_only_settlements_of_the_agreements_institution_can_be_clawed(
    memory_region: Region,
) -> None:
    sign(memory_region)
    other = sign(memory_region, code="H31010100002")
    person = enroll(memory_region)
    sid = settled(memory_region, person, "1300.00", "R1")
    with pytest.raises(SettlementNotOfAgreement):
        claw(memory_region, other, [sid], "10.00")


def test_recoveries_return_to_the_layers_that_paid_and_never_exceed_what_is_owed(
    memory_region: Region,
) -> None:
    agreement = sign(memory_region)
    funds = open_funds(memory_region)
    person = enroll(memory_region)
    sid = settled(memory_region, person, "1300.00", "R1")
    assessed = claw(
        memory_region, agreement, [sid], "650.00", basis="violation", multiple="1.5", reason="违规"
    )
    owed = assessed.amount + assessed.penalty  # 650.00 + 975.00
    memory_region.record_recovery(
        agency(), assessed.clawback_id, amount=Decimal("1000.00"), method="offset"
    )
    with pytest.raises(RecoveryExceedsOutstanding):
        memory_region.record_recovery(agency(), assessed.clawback_id, amount=owed, method="payment")
    memory_region.record_recovery(
        agency(), assessed.clawback_id, amount=owed - Decimal("1000.00"), method="payment"
    )
    # All fund pay of this claim came from the basic layer, so the cash paid back goes there;
    # the 1 000.00 offset brings no cash: it is withheld from a later disbursement.
    assert memory_region.fund_balance(funds["basic"]) == owed - Decimal("1000.00")
    assert memory_region.fund_balance(funds["major"]) == Decimal("0.00")


def test_a_clawback_spanning_settlements_takes_them_in_order(memory_region: Region) -> None:
    agreement = sign(memory_region)
    person = enroll(memory_region, date(1961, 1, 5))
    first = settled(memory_region, person, "1300.00", "R1")  # fund 650.00
    second = settled(memory_region, person, "100.00", "R2")  # fund 65.00
    claw(
        memory_region,
        agreement,
        [first, second],
        "700.00",
        basis="violation",
        multiple=1,
        reason="违规",
    )
    assert memory_region.settlement_aggregate(first).clawable == Decimal("0.00")
    assert memory_region.settlement_aggregate(second).clawable == Decimal("15.00")


def test_a_clawback_across_both_schemes_recovers_exactly_into_each_fund(
    memory_region: Region,
) -> None:
    agreement = sign(memory_region)
    funds = {
        (scheme, layer): memory_region.open_fund(
            agency(), scheme=scheme, layer=layer, region_code="310000", name=f"{scheme} {layer}"
        ).fund_id
        for scheme in ("resident", "employee")
        for layer in ("basic", "major")
    }
    resident = enroll(memory_region)
    employee = enroll(memory_region, date(1975, 11, 11), scheme="employee")
    r = settled(memory_region, resident, "1300.00", "R1")  # fund 650.00
    e = memory_region.settle(
        institution(), claim(employee, "2000.00", request_id="E1", visit_type="inpatient")
    )
    assessed = claw(
        memory_region,
        agreement,
        [r, e.settlement_id],
        "700.00",
        basis="fraud",
        multiple=3,
        reason="骗保",
    )
    for amount in ("0.07", "1000.00", "0.01"):
        memory_region.record_recovery(
            agency(), assessed.clawback_id, amount=Decimal(amount), method="payment"
        )
    balances = {key: memory_region.fund_balance(fid) for key, fid in funds.items()}
    assert sum(balances.values()) == Decimal("1000.08")
    assert all(balance >= Decimal("0.00") for balance in balances.values())


def test_a_retried_contribution_or_disbursement_is_booked_once(memory_region: Region) -> None:
    from domain.errors import RequestIdReused

    agreement = sign(memory_region)
    basic = open_funds(memory_region)["basic"]
    for _ in range(2):
        memory_region.receive_contribution(
            agency("C-1"), basic, amount=Decimal("1000.00"), period="2026-01", source="subsidy"
        )
        memory_region.disburse(
            agency("D-1"), basic, agreement_id=agreement, period="2026-02", amount=Decimal("400.00")
        )
    assert memory_region.fund_balance(basic) == Decimal("600.00")
    with pytest.raises(RequestIdReused):
        memory_region.receive_contribution(
            agency("C-1"), basic, amount=Decimal("999.00"), period="2026-01", source="subsidy"
        )
    # Without a request id there is nothing to recognise a retry by: each call books.
    memory_region.receive_contribution(
        agency(), basic, amount=Decimal("1.00"), period="2026-01", source="subsidy"
    )
    memory_region.receive_contribution(
        agency(), basic, amount=Decimal("1.00"), period="2026-01", source="subsidy"
    )
    assert memory_region.fund_balance(basic) == Decimal("602.00")


def test_a_retried_recovery_is_booked_once(memory_region: Region) -> None:
    agreement = sign(memory_region)
    funds = open_funds(memory_region)
    person = enroll(memory_region)
    sid = settled(memory_region, person, "1300.00", "R1")
    assessed = claw(
        memory_region, agreement, [sid], "100.00", basis="violation", multiple=1, reason="违规"
    )
    for _ in range(3):
        memory_region.record_recovery(
            agency("REC-1"), assessed.clawback_id, amount=Decimal("150.00"), method="payment"
        )
    assert memory_region.fund_balance(funds["basic"]) == Decimal("150.00")


def test_a_retry_spelling_the_amount_differently_is_the_same_command(
    memory_region: Region,
) -> None:
    basic = open_funds(memory_region)["basic"]
    for amount in ("100", "100.00"):
        memory_region.receive_contribution(
            agency("C-9"), basic, amount=Decimal(amount), period="2026-01", source="subsidy"
        )
    assert memory_region.fund_balance(basic) == Decimal("100.00")
