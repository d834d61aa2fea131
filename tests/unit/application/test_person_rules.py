"""Enrollment, suspension, termination and the personal account, through the application."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from application.region import Region
from domain.errors import (
    AccountNotAvailable,
    AlreadyCredited,
    NotSuspended,
    ValidationFailed,
)
from domain.national_id import InvalidNationalId
from tests.support import agency, claim, enroll, institution, national_id, sign


def test_an_id_with_a_wrong_check_character_is_refused_without_recording(
    memory_region: Region,
) -> None:
    good = national_id(date(1980, 5, 6))
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(InvalidNationalId):
        memory_region.enroll(
            agency(),
            national_id=bad,
            name="x",
            birth_date=date(1980, 5, 6),
            scheme="resident",
            region_code="310000",
            enrolled_on=date(2025, 1, 1),
        )
    assert memory_region.head() == 0


def test_the_person_id_reveals_nothing_of_the_national_id(memory_region: Region) -> None:
    nid = national_id(date(1980, 5, 6))
    person = memory_region.enroll(
        agency(),
        national_id=nid,
        name="张三",
        birth_date=date(1980, 5, 6),
        scheme="resident",
        region_code="310000",
        enrolled_on=date(2025, 1, 1),
    ).person_id
    stored = memory_region.recorder.select_notifications(1, 10)[0]
    assert nid[6:14] not in person.hex and nid[-6:] not in person.hex
    assert nid.encode() not in stored.state
    assert "张三".encode() not in stored.state


def test_claim_inside_a_person_suspension_is_rejected_person_suspended(
    memory_region: Region,
) -> None:
    sign(memory_region)
    person = enroll(memory_region)
    memory_region.suspend_person(
        agency(),
        person,
        reason="骗保调查",
        effective_from=date(2026, 3, 1),
        effective_until=date(2026, 6, 1),
        fraud=True,
    )
    record = memory_region.settle(institution(request_id="R1"), claim(person))
    assert record.reason_codes == ("PERSON_SUSPENDED",)
    memory_region.reinstate_person(
        agency(), person, reason="调查结束", effective_from=date(2026, 3, 5)
    )
    assert (
        memory_region.settle(institution(request_id="R2"), claim(person, request_id="R2")).status
        == "settled"
    )


def test_a_fraud_suspension_must_last_three_to_twelve_months(memory_region: Region) -> None:
    person = enroll(memory_region)
    with pytest.raises(ValidationFailed) as refused:
        memory_region.suspend_person(
            agency(),
            person,
            reason="骗保",
            effective_from=date(2026, 3, 1),
            effective_until=date(2026, 4, 1),
            fraud=True,
        )
    assert refused.value.field == "effective_until"


def test_a_suspension_needs_a_reason(memory_region: Region) -> None:
    person = enroll(memory_region)
    with pytest.raises(ValidationFailed) as refused:
        memory_region.suspend_person(agency(), person, reason=" ", effective_from=date(2026, 3, 1))
    assert refused.value.field == "reason"


def test_reinstating_a_person_who_is_not_suspended_is_refused(memory_region: Region) -> None:
    person = enroll(memory_region)
    with pytest.raises(NotSuspended):
        memory_region.reinstate_person(
            agency(), person, reason="x", effective_from=date(2026, 3, 1)
        )


def test_claims_after_termination_are_rejected_person_not_enrolled(memory_region: Region) -> None:
    sign(memory_region)
    person = enroll(memory_region)
    memory_region.terminate_person(agency(), person, reason="迁出", effective_from=date(2026, 3, 1))
    record = memory_region.settle(institution(request_id="R1"), claim(person))
    assert record.reason_codes == ("PERSON_NOT_ENROLLED",)


def test_a_claim_for_an_unknown_person_is_rejected_and_recorded(memory_region: Region) -> None:
    from uuid import uuid4

    sign(memory_region)
    record = memory_region.settle(institution(request_id="R1"), claim(uuid4()))
    assert record.reason_codes == ("PERSON_NOT_ENROLLED",)
    assert memory_region.settlement(record.settlement_id).status == "rejected"


def test_only_employees_have_a_personal_account(memory_region: Region) -> None:
    resident = enroll(memory_region)
    with pytest.raises(AccountNotAvailable):
        memory_region.credit_account(agency(), resident, amount=Decimal("10.00"), period="2026-01")


def test_an_account_is_credited_once_per_month_and_pays_before_cash(
    memory_region: Region,
) -> None:
    sign(memory_region)
    employee = enroll(memory_region, date(1990, 1, 20), scheme="employee")
    memory_region.credit_account(agency(), employee, amount=Decimal("300.00"), period="2026-01")
    with pytest.raises(AlreadyCredited):
        memory_region.credit_account(agency(), employee, amount=Decimal("300.00"), period="2026-01")
    record = memory_region.settle(institution(request_id="R1"), claim(employee, "200.00"))
    assert record.result is not None
    assert (record.result.account_pay, record.result.cash_pay) == (
        Decimal("200.00"),
        Decimal("0.00"),
    )
    assert memory_region.person(employee, 2026).account_balance == Decimal("100.00")


def test_a_late_resident_enrollment_waits_three_months_for_benefits(memory_region: Region) -> None:
    sign(memory_region)
    late = enroll(memory_region, date(1991, 1, 1), enrolled_on=date(2026, 5, 10))
    inside = memory_region.settle(
        institution(request_id="R1"), claim(late, "2000.00", request_id="R1", day=date(2026, 6, 30))
    )
    assert inside.result is not None and inside.result.reason_codes == ("WAITING_PERIOD",)
    assert inside.result.fund_pay == Decimal("0.00")
    after = memory_region.settle(
        institution(request_id="R2"), claim(late, "2000.00", request_id="R2", day=date(2026, 8, 10))
    )
    assert after.result is not None and after.result.fund_pay > Decimal("0.00")


def test_preview_records_nothing(memory_region: Region) -> None:
    sign(memory_region)
    person = enroll(memory_region)
    head = memory_region.head()
    preview = memory_region.preview(claim(person))
    assert preview.result is not None and preview.result.fund_pay == Decimal("650.00")
    assert memory_region.head() == head
    assert memory_region.person(person, 2026).fund_paid_basic == Decimal("0.00")
