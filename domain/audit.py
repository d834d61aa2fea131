"""The audit envelope every event carries: who, why, on which request, and when.

The application opens a `recorded_as(...)` block around each command; aggregates read the
envelope from it when they trigger events, so no command method threads it by hand. The
domain never reads the clock: the recorded-at instant comes from the application too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from domain.errors import MissingAuditContext, ValidationFailed


@dataclass(frozen=True)
class Audit:
    """Who did it, in which role, why, and on which request (stored on every event)."""

    actor_id: str
    role: str
    reason: str = ""
    request_id: str = ""
    correlation_id: str = ""


@dataclass(frozen=True)
class Stamp:
    audit: Audit
    at: datetime


_stamp: ContextVar[Stamp | None] = ContextVar("yibao_audit_stamp", default=None)


@contextmanager
def recorded_as(audit: Audit, at: datetime) -> Iterator[Stamp]:
    """Every event triggered inside the block carries `audit` and the timestamp `at`."""
    if at.tzinfo is None:
        raise ValueError("recorded-at must be timezone-aware")
    stamp = Stamp(audit, at)
    token = _stamp.set(stamp)
    try:
        yield stamp
    finally:
        _stamp.reset(token)


def current_stamp() -> Stamp:
    stamp = _stamp.get()
    if stamp is None:
        raise MissingAuditContext()
    return stamp


def require_reason(what: str) -> str:
    """Suspensions, terminations, reversals, clawbacks, holds and disposals need a reason."""
    reason = current_stamp().audit.reason.strip()
    if not reason:
        raise ValidationFailed("reason", f"a reason is required for {what}")
    return reason
