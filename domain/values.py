"""Small value objects shared by the aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.errors import ValidationFailed

RESIDENT = "resident"
EMPLOYEE = "employee"
SCHEMES = (RESIDENT, EMPLOYEE)
SCHEME_CODES = {RESIDENT: "R", EMPLOYEE: "E"}
BASIC = "basic"
MAJOR = "major"
LAYERS = (BASIC, MAJOR)
CATEGORIES = ("student", "infant", "low_income", "severely_disabled")


@dataclass(frozen=True)
class DateWindow:
    """Dates from `start` (inclusive) until `until` (exclusive); open-ended when `until` is None."""

    start: date
    until: date | None = None

    def __post_init__(self) -> None:
        if self.until is not None and self.until < self.start:
            raise ValidationFailed("effective_until", "must not be before effective_from")

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.until is None or day < self.until)

    def ended_on(self, day: date) -> DateWindow:
        """The same window, cut short so that `day` is no longer inside it."""
        until = day if self.until is None else min(self.until, day)
        return DateWindow(self.start, max(until, self.start))

    @classmethod
    def requested(cls, start: date, until: date | None) -> DateWindow:
        """A window as an operator asks for it: a non-empty one."""
        if until is not None and until <= start:
            raise ValidationFailed("effective_until", "must be after effective_from")
        return cls(start, until)

    def overlaps(self, other: DateWindow) -> bool:
        """True when some day lies in both windows."""
        if self.is_empty() or other.is_empty():
            return False
        return self.start < (other.until or date.max) and other.start < (self.until or date.max)

    def is_empty(self) -> bool:
        return self.until is not None and self.until <= self.start


def require_scheme(scheme: str) -> str:
    if scheme not in SCHEMES:
        raise ValidationFailed("scheme", f"must be one of {', '.join(SCHEMES)}")
    return scheme


def require_region(region_code: str, field: str = "region_code") -> str:
    if len(region_code) != 6 or not region_code.isdigit():
        raise ValidationFailed(field, "must be a 6-digit administrative division code")
    return region_code


def require_inside(region_code: str, deployment: str, field: str = "region_code") -> str:
    """A division of the deployment's pooling region: its code begins with the region code
    without its trailing zeros (`310115` is inside `310000`)."""
    require_region(region_code, field)
    if not region_code.startswith(deployment.rstrip("0")):
        raise ValidationFailed(field, f"must be {deployment} or a division inside it")
    return region_code


def require_period(period: str, field: str = "period") -> str:
    """A month, `YYYY-MM`."""
    year, sep, month = period.partition("-")
    if not (sep and len(year) == 4 and year.isdigit() and month.isdigit() and len(month) == 2):
        raise ValidationFailed(field, "must be a month, YYYY-MM")
    if not 1 <= int(month) <= 12:
        raise ValidationFailed(field, "month must be 01-12")
    return period
