"""Date windows as the views store them (JSON lists), with the domain's own window rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.values import DateWindow


def window_json(window: DateWindow, **extra: Any) -> dict[str, Any]:
    until = window.until.isoformat() if window.until else None
    return {"start": window.start.isoformat(), "until": until, **extra}


def window_of(stored: dict[str, Any]) -> DateWindow:
    until = stored.get("until")
    return DateWindow(
        date.fromisoformat(stored["start"]), date.fromisoformat(until) if until else None
    )


def ended_on(stored: list[dict[str, Any]], day: date) -> list[dict[str, Any]]:
    """Reinstatement: every window covering `day` ends there (as the aggregates do)."""
    result = []
    for entry in stored:
        window = window_of(entry)
        if window.contains(day):
            entry = {**entry, **window_json(window.ended_on(day))}
        result.append(entry)
    return result


def covers(stored: list[dict[str, Any]], day: date) -> bool:
    return any(window_of(entry).contains(day) for entry in stored)
