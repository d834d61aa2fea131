"""Record classes, due dates and archive numbers of DOMAIN.md §8."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date

from eventsourcing.domain import Aggregate, DomainEvent

import domain
from projections.retention import (
    ANNUAL_SUMMARY,
    MONTHLY_REPORT,
    PAYMENT_DETAIL,
    PERSON_REGISTRATION,
    UNCLASSIFIED,
    archive_number,
    classify,
    scheme_code,
)


def stored_event_types() -> set[str]:
    """Every event class the domain records (bases of other events and snapshots are never
    in the log)."""
    found: set[type] = set()
    for info in pkgutil.iter_modules(domain.__path__):
        module = importlib.import_module(f"domain.{info.name}")
        for aggregate in vars(module).values():
            if isinstance(aggregate, type) and issubclass(aggregate, Aggregate):
                for member in vars(aggregate).values():
                    if isinstance(member, type) and issubclass(member, DomainEvent):
                        found.add(member)
    leaves = {e for e in found if not any(o is not e and issubclass(o, e) for o in found)}
    return {e.__qualname__ for e in leaves if e.__name__ not in ("Event", "Created", "Snapshot")}


def test_every_domain_event_has_a_record_class() -> None:
    unclassified = sorted(t for t in stored_event_types() if classify(t)[0] is UNCLASSIFIED)
    assert unclassified == [], "add them to projections/retention.py EVENT_RECORDS"


def test_retention_runs_from_the_first_of_january_after_the_record_is_formed() -> None:
    assert PAYMENT_DETAIL.due_date(date(2026, 3, 2)) == date(2057, 1, 1)
    assert PERSON_REGISTRATION.due_date(date(2026, 12, 31)) == date(2127, 1, 1)
    assert MONTHLY_REPORT.due_date(date(2026, 3, 31)) == date(2037, 1, 1)
    assert ANNUAL_SUMMARY.due_date(date(2026, 12, 31)) is None
    assert ANNUAL_SUMMARY.retention_code == "P" and MONTHLY_REPORT.retention_code == "D10"


def test_an_archive_number_has_six_parts() -> None:
    number = archive_number("R", "310000", 2026, PAYMENT_DETAIL, "SETTLE", 123)
    assert number == "R-310000-2026-D30-SETTLE-000123"
    assert (scheme_code("resident"), scheme_code("employee"), scheme_code(None)) == ("R", "E", "X")


def test_an_event_nobody_classified_is_kept_permanently_under_its_own_name() -> None:
    record_class, step = classify("Hold.Placed")
    assert (record_class, step, record_class.due_date(date(2026, 1, 1))) == (
        UNCLASSIFIED,
        "PLACED",
        None,
    )
