"""Settlement rules that need the person's history: admissions, reversals, idempotency."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from application.clawbacks import Assessed
from application.region import Region
from domain.settlement_rules import ClaimItem
from tests.support import agency, claim, enroll, institution, sign


def test_interim_settlements_of_one_admission_pay_the_inpatient_deductible_once(
    memory_region: Region,
) -> None:
    sign(memory_region)
    person = enroll(memory_region)
    first = claim(person, "5000.00", request_id="IN-1", visit_type="inpatient")
    second = replace(
        claim(person, "5000.00", request_id="IN-2", visit_type="inpatient"), visit_id=first.visit_id
    )
    other = claim(person, "5000.00", request_id="IN-3", visit_type="inpatient")
    results = [memory_region.settle(institution(), c).result for c in (first, second, other)]
    assert [r.deductible if r else None for r in results] == [
        Decimal("300.00"),
        Decimal("0.00"),
        Decimal("300.00"),
    ]


def test_a_reversed_interim_settlement_gives_its_admission_deductible_back(
    memory_region: Region,
) -> None:
    sign(memory_region)
    person = enroll(memory_region)
    first = claim(person, "5000.00", request_id="IN-1", visit_type="inpatient")
    settled = memory_region.settle(institution(), first)
    memory_region.reverse_settlement(institution(), settled.settlement_id, reason="重新结算")
    again = replace(first, request_id="IN-2")
    result = memory_region.settle(institution(), again).result
    assert result is not None and result.deductible == Decimal("300.00")


def test_a_retry_writing_a_price_as_12_5_instead_of_12_50_is_the_same_request(
    memory_region: Region,
) -> None:
    sign(memory_region)
    person = enroll(memory_region)
    written = claim(person, "25.00", request_id="R1")
    item = ClaimItem("D0001", "诊疗费", "A", Decimal(2), Decimal("12.50"), Decimal("25.00"))
    retried = replace(written, items=(replace(item, unit_price=Decimal("12.5")),))
    first = memory_region.settle(institution(), replace(written, items=(item,)))
    assert memory_region.settle(institution(), retried).settlement_id == first.settlement_id


def test_the_audit_names_the_clients_request_id(memory_region: Region) -> None:
    sign(memory_region)
    person = enroll(memory_region)
    memory_region.settle(institution(request_id="transport-id"), claim(person, request_id="HIS-42"))
    last_two = memory_region.recorder.select_notifications(1, 100)[-2:]
    ids = {json.loads(n.state)["audit"]["_data_"]["request_id"] for n in last_two}
    assert ids == {"HIS-42"}


def test_reversing_an_employee_claim_restores_the_account_and_both_layers(
    memory_region: Region,
) -> None:
    sign(memory_region)
    employee = enroll(memory_region, date(1975, 11, 11), scheme="employee")
    memory_region.credit_account(agency(), employee, amount=Decimal("150.00"), period="2026-01")
    big = claim(employee, "40000.00", request_id="R1", visit_type="inpatient")
    settled = memory_region.settle(institution(), big)
    assert settled.result is not None and settled.result.major_fund_pay > Decimal("0.00")
    memory_region.reverse_settlement(institution(), settled.settlement_id, reason="重复结算")
    after = memory_region.person(employee, 2026)
    assert (after.fund_paid_basic, after.fund_paid_major) == (Decimal("0.00"), Decimal("0.00"))
    assert after.account_balance == Decimal("150.00")


def test_a_retried_clawback_is_the_same_assessment_and_another_body_is_refused(
    memory_region: Region,
) -> None:
    from domain.errors import RequestIdReused

    agreement = sign(memory_region)
    person = enroll(memory_region)
    sid = memory_region.settle(institution(), claim(person)).settlement_id

    def assess(amount: str) -> Assessed:
        return memory_region.assess_clawback(
            agency("CLAW-1"),
            agreement_id=agreement,
            settlement_ids=[sid],
            amount=Decimal(amount),
            basis="violation",
            penalty_multiple=Decimal(1),
            reason="违规",
        )

    first, head = assess("100.00"), memory_region.head()
    again = assess("100.00")
    assert again.clawback_id == first.clawback_id and memory_region.head() == head
    with pytest.raises(RequestIdReused):
        assess("200.00")


def test_an_institution_can_neither_settle_nor_reverse_for_another(memory_region: Region) -> None:
    from domain.errors import Forbidden

    sign(memory_region)
    person = enroll(memory_region)
    with pytest.raises(Forbidden):
        memory_region.settle(institution("H31010100099"), claim(person))
    sid = memory_region.settle(institution(), claim(person)).settlement_id
    with pytest.raises(Forbidden):
        memory_region.reverse_settlement(institution("H31010100099"), sid, reason="不是我的")
    assert memory_region.settlement(sid).status == "settled"


def test_a_retry_is_answered_as_found_not_created(memory_region: Region) -> None:
    sign(memory_region)
    person = enroll(memory_region)
    assert memory_region.settle(institution(), claim(person)).created
    assert not memory_region.settle(institution(), claim(person)).created


def test_an_admission_is_the_institution_and_its_visit_id_and_older_claims_keep_their_key() -> None:
    from domain.money import ZERO
    from domain.person import Admission, ClaimEntry, InsuredPerson

    paid, earlier = Decimal(300), Decimal(200)
    ours = ClaimEntry(2026, ZERO, ZERO, ZERO, ZERO, False, "V1", paid, "H1")
    recorded_before_issue_8: dict[str, object] = {"admission": "V9"}
    InsuredPerson.ClaimSettled.upcast_v2_v3(recorded_before_issue_8)
    legacy = ClaimEntry(2026, ZERO, ZERO, ZERO, ZERO, False, "V9", earlier, None)
    person = InsuredPerson.__new__(InsuredPerson)
    person.years, person.account_balance = {}, ZERO
    person.admission_deductibles, person.admission_years = {}, {}
    person._take(ours)
    person._take(legacy)

    assert person.admission_deductible_used(Admission("H1", "V1")) == paid
    assert person.admission_deductible_used(Admission("H2", "V1")) == ZERO
    assert recorded_before_issue_8["admission_institution"] is None
    # keyed by visit id alone, as it was recorded
    assert person.admission_deductible_used(Admission("H2", "V9")) == earlier
