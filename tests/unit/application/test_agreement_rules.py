"""Agreements: one in force per institution, renewal notice, suspension, termination."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from application.region import Region
from domain.agreement import InstitutionAgreement
from domain.errors import (
    AgreementInForce,
    AgreementNotActive,
    RenewalTooLate,
    ValidationFailed,
    VoluntaryNotAllowed,
)
from tests.conftest import Clock
from tests.support import agency, claim, enroll, institution, sign


def agreement(region: Region, agreement_id: object) -> InstitutionAgreement:
    found = region.repository.get(agreement_id)
    assert isinstance(found, InstitutionAgreement)
    return found


def test_a_second_agreement_while_one_is_in_force_is_refused(memory_region: Region) -> None:
    sign(memory_region)
    with pytest.raises(AgreementInForce):
        sign(memory_region)


def test_a_terminated_institution_can_sign_a_new_agreement(memory_region: Region) -> None:
    first = sign(memory_region)
    memory_region.terminate_agreement(
        agency(),
        first,
        ground="serious_violation",
        reason="严重违规",
        effective_from=date(2026, 1, 1),
    )
    assert sign(memory_region) != first


def test_renewal_inside_the_notice_period_is_refused(memory_region: Region, clock: Clock) -> None:
    agreement_id = sign(memory_region)
    clock.now = datetime(2026, 10, 15, 2, tzinfo=UTC)  # term ends 2026-12-31: < 3 months left
    with pytest.raises(RenewalTooLate):
        memory_region.renew_agreement(
            agency(),
            agreement_id,
            term_start=date(2027, 1, 1),
            term_end=date(2027, 12, 31),
            annual_budget=Decimal("1300000.00"),
        )


def test_renewal_in_time_extends_the_term_and_claims_settle_in_it(
    memory_region: Region, clock: Clock
) -> None:
    agreement_id = sign(memory_region)
    memory_region.renew_agreement(
        agency(),
        agreement_id,
        term_start=date(2027, 1, 1),
        term_end=date(2027, 12, 31),
        annual_budget=Decimal("1300000.00"),
    )
    person = enroll(memory_region)
    record = memory_region.settle(
        institution(request_id="R1"), claim(person, request_id="R1", day=date(2027, 2, 1))
    )
    assert record.status == "settled"
    assert agreement(memory_region, agreement_id).annual_budget == Decimal("1300000.00")


def test_claims_outside_the_term_are_rejected_agreement_not_in_force(memory_region: Region) -> None:
    sign(memory_region)
    person = enroll(memory_region)
    record = memory_region.settle(
        institution(request_id="R1"), claim(person, request_id="R1", day=date(2027, 1, 2))
    )
    assert record.reason_codes == ("AGREEMENT_NOT_IN_FORCE",)


def test_a_public_institution_may_not_suspend_or_terminate_voluntarily(
    memory_region: Region,
) -> None:
    agreement_id = sign(memory_region, ownership="public")
    with pytest.raises(VoluntaryNotAllowed):
        memory_region.suspend_agreement(
            agency(), agreement_id, reason="装修", effective_from=date(2026, 4, 1), voluntary=True
        )
    with pytest.raises(VoluntaryNotAllowed):
        memory_region.terminate_agreement(
            agency(),
            agreement_id,
            ground="voluntary",
            reason="不再合作",
            effective_from=date(2026, 4, 1),
        )


def test_a_voluntary_suspension_ends_the_agreement_after_180_days(memory_region: Region) -> None:
    agreement_id = sign(memory_region, ownership="private")
    memory_region.suspend_agreement(
        agency(), agreement_id, reason="装修停业", effective_from=date(2026, 3, 1), voluntary=True
    )
    person = enroll(memory_region)
    inside = claim(person, request_id="R1", day=date(2026, 5, 1))
    after = claim(person, request_id="R2", day=date(2026, 9, 1))  # 2026-03-01 + 180 days = 08-28
    assert memory_region.settle(institution(), inside).reason_codes == ("AGREEMENT_SUSPENDED",)
    assert memory_region.settle(institution(), after).reason_codes == ("AGREEMENT_NOT_IN_FORCE",)


def test_a_voluntary_suspension_longer_than_180_days_is_refused(memory_region: Region) -> None:
    agreement_id = sign(memory_region, ownership="private")
    with pytest.raises(ValidationFailed) as refused:
        memory_region.suspend_agreement(
            agency(),
            agreement_id,
            reason="停业",
            effective_from=date(2026, 3, 1),
            effective_until=date(2026, 12, 1),
            voluntary=True,
        )
    assert refused.value.field == "effective_until"


def test_reinstated_in_time_a_voluntary_suspension_does_not_end_the_agreement(
    memory_region: Region,
) -> None:
    agreement_id = sign(memory_region, ownership="private")
    memory_region.suspend_agreement(
        agency(), agreement_id, reason="装修", effective_from=date(2026, 3, 1), voluntary=True
    )
    memory_region.reinstate_agreement(
        agency(), agreement_id, reason="恢复", effective_from=date(2026, 4, 1)
    )
    person = enroll(memory_region)
    later = claim(person, request_id="R1", day=date(2026, 10, 1))
    assert memory_region.settle(institution(), later).status == "settled"


def test_two_suspensions_flag_the_agreement_for_termination(memory_region: Region) -> None:
    agreement_id = sign(memory_region)
    for start, until in (
        (date(2026, 2, 1), date(2026, 2, 10)),
        (date(2026, 5, 1), date(2026, 5, 10)),
    ):
        memory_region.suspend_agreement(
            agency(), agreement_id, reason="违规", effective_from=start, effective_until=until
        )
    assert agreement(memory_region, agreement_id).flagged_for_termination


def test_nothing_settles_after_termination_and_the_agreement_stays_ended(
    memory_region: Region,
) -> None:
    agreement_id = sign(memory_region)
    memory_region.terminate_agreement(
        agency(), agreement_id, ground="fraud", reason="骗保", effective_from=date(2026, 3, 5)
    )
    person = enroll(memory_region)
    assert memory_region.settle(institution(), claim(person)).reason_codes == (
        "AGREEMENT_NOT_IN_FORCE",
    )
    with pytest.raises(AgreementNotActive):
        memory_region.suspend_agreement(
            agency(), agreement_id, reason="x", effective_from=date(2026, 4, 1)
        )


def test_an_unknown_termination_ground_names_the_field(memory_region: Region) -> None:
    agreement_id = sign(memory_region)
    with pytest.raises(ValidationFailed) as refused:
        memory_region.terminate_agreement(
            agency(), agreement_id, ground="bored", reason="x", effective_from=date(2026, 4, 1)
        )
    assert refused.value.field == "ground"


def test_an_institution_code_must_have_twelve_characters(memory_region: Region) -> None:
    with pytest.raises(ValidationFailed) as refused:
        sign(memory_region, code="H3101")
    assert refused.value.field == "institution_code"


def test_a_short_voluntary_suspension_lets_the_agreement_resume_after_it(
    memory_region: Region,
) -> None:
    agreement_id = sign(memory_region, ownership="private")
    memory_region.suspend_agreement(
        agency(),
        agreement_id,
        reason="装修",
        effective_from=date(2026, 3, 1),
        effective_until=date(2026, 4, 1),
        voluntary=True,
    )
    person = enroll(memory_region)
    later = claim(person, request_id="R1", day=date(2026, 4, 15))
    assert memory_region.settle(institution(), later).status == "settled"


def test_renewal_exactly_three_months_before_the_end_is_in_time(
    memory_region: Region, clock: Clock
) -> None:
    agreement_id = sign(memory_region)  # term ends 2026-12-31
    clock.now = datetime(2026, 10, 1, 2, tzinfo=UTC)
    memory_region.renew_agreement(
        agency(),
        agreement_id,
        term_start=date(2027, 1, 1),
        term_end=date(2027, 12, 31),
        annual_budget=Decimal("1300000.00"),
    )
    assert agreement(memory_region, agreement_id).term_end == date(2027, 12, 31)


def test_the_flag_is_recorded_as_an_event_when_the_threshold_is_reached(
    memory_region: Region,
) -> None:
    agreement_id = sign(memory_region)
    memory_region.suspend_agreement(
        agency(),
        agreement_id,
        reason="违规",
        effective_from=date(2026, 2, 1),
        effective_until=date(2026, 2, 10),
    )
    assert not agreement(memory_region, agreement_id).flagged_for_termination
    memory_region.suspend_agreement(
        agency(),
        agreement_id,
        reason="再次违规",
        effective_from=date(2026, 5, 1),
        effective_until=date(2026, 5, 10),
    )
    topics = [n.topic for n in memory_region.recorder.select_notifications(1, 100)]
    assert topics[-1].endswith("InstitutionAgreement.FlaggedForTermination")


def test_overlapping_agreement_suspensions_are_refused(memory_region: Region) -> None:
    from domain.errors import AlreadySuspended

    agreement_id = sign(memory_region)
    memory_region.suspend_agreement(
        agency(),
        agreement_id,
        reason="违规",
        effective_from=date(2026, 5, 1),
        effective_until=date(2026, 5, 10),
    )
    with pytest.raises(AlreadySuspended):
        memory_region.suspend_agreement(
            agency(),
            agreement_id,
            reason="违规",
            effective_from=date(2026, 4, 20),
            effective_until=date(2026, 5, 2),
        )


def test_a_retried_suspension_with_the_same_request_id_is_done_once(memory_region: Region) -> None:
    agreement_id = sign(memory_region)
    for _ in range(2):
        memory_region.suspend_agreement(
            agency("SUSP-1"),
            agreement_id,
            reason="违规",
            effective_from=date(2026, 5, 1),
            effective_until=date(2026, 5, 10),
        )
    assert agreement(memory_region, agreement_id).suspension_count == 1
