"""Calendar arithmetic the rules need (months, full years)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def full_years(since: date, on: date) -> int:
    """Completed years from `since` to `on` (an age, or years of contribution); 0 if before."""
    years = on.year - since.year - ((on.month, on.day) < (since.month, since.day))
    return max(years, 0)
