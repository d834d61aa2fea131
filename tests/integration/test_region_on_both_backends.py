"""The region's commands, persisted: every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.errors import AlreadyEnrolled, AlreadyReversed, RequestIdReused
from interfaces.bootstrap import Container, build
from tests.conftest import Clock
from tests.support import agency, claim, enroll, institution, national_id, sign


def test_settled_claim_survives_a_restart_with_its_accumulators(
    container: Container, clock: Clock
) -> None:
    region = container.region
    sign(region)
    person = enroll(region)
    record = region.settle(institution(request_id="REQ-1"), claim(person))
    assert record.status == "settled"
    assert record.result is not None and record.result.fund_pay == Decimal("650.00")

    restarted = build(container.settings, clock=clock)
    try:
        summary = restarted.region.person(person, 2026)
        assert summary.outpatient_deductible_used == Decimal("300.00")
        assert summary.fund_paid_basic == Decimal("650.00")
        assert restarted.region.settlement(record.settlement_id).status == "settled"
    finally:
        restarted.close()


def test_same_request_id_returns_the_stored_result_and_records_nothing_new(
    container: Container,
) -> None:
    region = container.region
    sign(region)
    person = enroll(region)
    first = region.settle(institution(request_id="REQ-1"), claim(person))
    head = region.head()
    again = region.settle(institution(request_id="REQ-1"), claim(person))
    assert again.settlement_id == first.settlement_id
    assert again.result == first.result
    assert region.head() == head
    assert region.person(person, 2026).fund_paid_basic == Decimal("650.00")


def test_same_request_id_with_another_body_is_refused(container: Container) -> None:
    region = container.region
    sign(region)
    person = enroll(region)
    region.settle(institution(request_id="REQ-1"), claim(person))
    with pytest.raises(RequestIdReused):
        region.settle(institution(request_id="REQ-1"), claim(person, "99.00"))


def test_reversal_restores_the_person_and_cannot_happen_twice(container: Container) -> None:
    region = container.region
    sign(region)
    person = enroll(region)
    record = region.settle(institution(request_id="REQ-1"), claim(person))
    reversed_ = region.reverse_settlement(
        institution(request_id="REV-1"), record.settlement_id, reason="录入错误"
    )
    assert reversed_.status == "reversed"
    summary = region.person(person, 2026)
    assert summary.fund_paid_basic == Decimal("0.00")
    assert summary.outpatient_deductible_used == Decimal("0.00")
    with pytest.raises(AlreadyReversed):
        region.reverse_settlement(
            institution(request_id="REV-2"), record.settlement_id, reason="again"
        )


def test_claim_inside_agreement_suspension_is_rejected_and_recorded(container: Container) -> None:
    region = container.region
    agreement = sign(region)
    person = enroll(region)
    region.suspend_agreement(agency(), agreement, reason="违规", effective_from=date(2026, 3, 1))
    record = region.settle(institution(request_id="REQ-9"), claim(person))
    assert (record.status, record.reason_codes) == ("rejected", ("AGREEMENT_SUSPENDED",))
    assert region.settlement(record.settlement_id).status == "rejected"
    assert region.person(person, 2026).fund_paid_basic == Decimal("0.00")


def test_enrolling_twice_in_one_scheme_is_a_conflict(container: Container) -> None:
    birth = date(1970, 1, 1)
    same_id = national_id(birth)

    def enroll_once() -> None:
        container.region.enroll(
            agency(),
            national_id=same_id,
            name="测试",
            birth_date=birth,
            scheme="resident",
            region_code="310000",
            enrolled_on=date(2025, 1, 2),
        )

    enroll_once()
    with pytest.raises(AlreadyEnrolled):
        enroll_once()
