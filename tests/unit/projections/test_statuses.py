"""A person's and an agreement's status on a given day, from the facts the views keep."""

from __future__ import annotations

from datetime import date
from typing import Any

from projections.agreements import agreement_status
from projections.persons import person_status

TERM = {"start": "2026-01-01", "until": "2027-01-01"}


def agreement(**facts: Any) -> dict[str, Any]:
    return {"terms": [TERM], "suspensions": [], "terminated_on": None, **facts}


def suspension(start: str, until: str, ends: str | None = None) -> dict[str, Any]:
    return {
        "start": start,
        "until": until,
        "voluntary": ends is not None,
        "ends_agreement_on": ends,
    }


def test_an_agreement_is_in_force_suspended_or_outside_its_term_by_day() -> None:
    suspended = agreement(suspensions=[suspension("2026-03-05", "2026-03-20")])
    assert agreement_status(suspended, date(2026, 3, 10)) == "suspended"
    assert agreement_status(suspended, date(2026, 3, 20)) == "in_force"
    assert agreement_status(agreement(), date(2025, 12, 31)) == "not_yet_in_force"
    assert agreement_status(agreement(), date(2027, 1, 1)) == "expired"


def test_an_unlifted_voluntary_suspension_ends_the_agreement_and_a_termination_terminates_it() -> (
    None
):
    voluntary = agreement(suspensions=[suspension("2026-03-01", "2026-08-28", ends="2026-08-28")])
    assert agreement_status(voluntary, date(2026, 8, 27)) == "suspended"
    assert agreement_status(voluntary, date(2026, 8, 28)) == "ended"
    terminated = agreement(terminated_on=date(2026, 6, 1))
    assert agreement_status(terminated, date(2026, 5, 31)) == "in_force"
    assert agreement_status(terminated, date(2026, 6, 1)) == "terminated"


def test_a_persons_status_follows_enrollment_suspension_and_termination() -> None:
    person = {
        "enrolled_on": date(2025, 1, 2),
        "terminated_on": date(2026, 9, 1),
        "suspensions": [{"start": "2026-04-01", "until": "2026-07-01"}],
    }
    assert person_status(person, date(2025, 1, 1)) == "not_enrolled"
    assert person_status(person, date(2026, 3, 31)) == "enrolled"
    assert person_status(person, date(2026, 4, 1)) == "suspended"
    assert person_status(person, date(2026, 9, 1)) == "terminated"
