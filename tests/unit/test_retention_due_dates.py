"""Due dates of every record class (DOMAIN.md §8): from 1 January after the year formed."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.archive_records import RecordFacts
from domain.retention import CLASSES, EVENT_RECORDS

PERIODS = {
    "person_registration": 100,
    "personal_account": 100,
    "payment_detail": 30,
    "accounting_voucher": 30,
    "inspection": 30,
    "agreement": 30,
    "monthly_report": 10,
    "annual_summary": None,
    "archive_register": None,
    "unclassified": None,
}


@pytest.mark.parametrize("record_class", CLASSES, ids=lambda c: c.name)
@pytest.mark.parametrize("formed", [date(2026, 1, 1), date(2026, 12, 31)])
def test_every_class_is_due_on_the_first_of_january_after_its_period(
    record_class: object, formed: date
) -> None:
    years = PERIODS[record_class.name]  # type: ignore[attr-defined]
    due = record_class.due_date(formed)  # type: ignore[attr-defined]
    assert due == (None if years is None else date(2027 + years, 1, 1))


def test_the_last_day_of_a_year_and_the_first_of_the_next_are_a_year_apart_in_due_date() -> None:
    december = RecordFacts(uuid4(), "Settlement.Settled", date(2026, 12, 31))
    january = RecordFacts(uuid4(), "Settlement.Settled", date(2027, 1, 1))
    assert (december.due, january.due) == (date(2057, 1, 1), date(2058, 1, 1))


@pytest.mark.parametrize("event_type", sorted(EVENT_RECORDS))
def test_each_event_type_is_due_as_its_class_says(event_type: str) -> None:
    record = RecordFacts(uuid4(), event_type, date(2026, 6, 30))
    years = PERIODS[record.record_class]
    assert record.due == (None if years is None else date(2027 + years, 1, 1))


def test_archive_office_records_are_permanent() -> None:
    placed = RecordFacts(uuid4(), "Archive.DisposalApproved", date(2026, 6, 30))
    assert (placed.record_class, placed.due) == ("archive_register", None)
