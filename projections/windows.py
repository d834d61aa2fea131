"""Date windows as the views store them (JSON lists); the rules on them are the domain's."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import standing
from domain.values import DateWindow


def window_json(window: DateWindow, **extra: Any) -> dict[str, Any]:
    until = window.until.isoformat() if window.until else None
    return {"start": window.start.isoformat(), "until": until, **extra}


def window_of(stored: dict[str, Any]) -> DateWindow:
    until = stored.get("until")
    return DateWindow(
        date.fromisoformat(stored["start"]), date.fromisoformat(until) if until else None
    )


def windows_of(stored: list[dict[str, Any]]) -> list[DateWindow]:
    return [window_of(entry) for entry in stored]


def ended_on(stored: list[dict[str, Any]], day: date) -> list[dict[str, Any]]:
    """Reinstatement from `day`, by the aggregates' own rule (`standing.reinstated`); the
    entries keep their other fields."""
    after = standing.reinstated(windows_of(stored), day)
    return [{**entry, **window_json(window)} for entry, window in zip(stored, after, strict=True)]
