"""Where a person or an agreement stands on a day: one rule each, for the aggregates and the views.

The aggregates decide claims with these (`standing_on` maps a status to a rejection code) and
the views derive the status they show from their stored facts with the same functions, so the
two can never disagree (a property test replays random histories through both).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from domain.values import DateWindow

ENROLLED, SUSPENDED, TERMINATED, NOT_ENROLLED = (
    "enrolled",
    "suspended",
    "terminated",
    "not_enrolled",
)
IN_FORCE, ENDED, EXPIRED, NOT_YET_IN_FORCE = "in_force", "ended", "expired", "not_yet_in_force"


def reinstated(suspensions: Iterable[DateWindow], day: date) -> list[DateWindow]:
    """A reinstatement from `day`: every suspension covering it ends there."""
    return [w.ended_on(day) if w.contains(day) else w for w in suspensions]


def person_status_on(
    day: date, enrolled_on: date, terminated_on: date | None, suspensions: Iterable[DateWindow]
) -> str:
    """enrolled | suspended | terminated | not_enrolled on `day`."""
    if terminated_on is not None and day >= terminated_on:
        return TERMINATED
    if day < enrolled_on:
        return NOT_ENROLLED
    return SUSPENDED if any(w.contains(day) for w in suspensions) else ENROLLED


def agreement_ends_on(terminated_on: date | None, pending_ends: Iterable[date]) -> date | None:
    """The first day an agreement is no longer in force, when it is known to end early
    (a termination, or an unlifted voluntary suspension that ends it)."""
    ends = [terminated_on] if terminated_on else []
    ends += pending_ends
    return min(ends) if ends else None


def agreement_status_on(
    day: date,
    terms: list[DateWindow],
    suspensions: Iterable[DateWindow],
    terminated_on: date | None,
    ends_on: date | None,
) -> str:
    """in_force | suspended | terminated | ended | expired | not_yet_in_force on `day`."""
    if ends_on is not None and day >= ends_on:
        terminated = terminated_on is not None and day >= terminated_on
        return TERMINATED if terminated else ENDED
    if not any(t.contains(day) for t in terms):
        return NOT_YET_IN_FORCE if day < terms[0].start else EXPIRED
    return SUSPENDED if any(w.contains(day) for w in suspensions) else IN_FORCE
