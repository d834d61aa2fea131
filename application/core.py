"""The write path shared by every command: decide under an audit stamp, commit, retry.

A command is a *decision* — a function that loads aggregates, calls their methods and returns
(aggregates to save, value). `RegionCore._commit` runs it inside the audit context and saves
everything it touched in one transaction; a concurrent change to the same aggregate
(optimistic concurrency on (id, version)) makes it decide again on fresh state. Decisions
never perform I/O besides loading, so a group committer can later run many of them and save
them in one transaction without touching the domain.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from application.context import Context
from application.personal_data import HealthDataAsSealed, KeyStore, PersonalDataAsSealed
from application.transcodings import register_value_objects
from domain.agreement import Institution, InstitutionAgreement
from domain.audit import Audit, recorded_as
from domain.errors import ConcurrentUpdate, NotFound, RequestIdReused
from domain.fund import FundAccount
from domain.person import InsuredPerson
from domain.policy import PolicyBook
from domain.receipt import CommandReceipt, receipt_id

T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)
REGION_TZ = ZoneInfo("Asia/Shanghai")
Decision = Callable[[], tuple[list[Any], T]]


def _fingerprint(command: str, body: dict[str, object]) -> str:
    canonical = json.dumps([command, body], sort_keys=True, default=_by_value, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _by_value(value: object) -> str:
    """Numbers by value ("100" and "100.00" are the same amount on a retry), others as text."""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Committed:
    """A command's value and the log position of its last event (for read-your-writes)."""

    position: int


class RegionCore(Application):  # type: ignore[type-arg]
    """Infrastructure of the region's application: persistence, transcoding, the commit loop."""

    name = "region"
    snapshotting_intervals = {  # noqa: RUF012 - the library's class attribute
        InsuredPerson: 50,
        InstitutionAgreement: 50,
        Institution: 100,
        FundAccount: 200,
    }
    env = {"AGGREGATE_CACHE_MAXSIZE": "10000"}  # noqa: RUF012
    # Conflicts on a hot person are resolved by deciding again; across processes on
    # PostgreSQL, many writers to one person need room: back off with jitter, up to ~128 ms.
    max_attempts = 40

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        keys: KeyStore,
        policies: PolicyBook,
        id_secret: bytes,
        region_code: str,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.keys = keys
        self.policies = policies
        self.id_secret = id_secret
        self.region_code = region_code
        self.clock = clock
        super().__init__(env)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_value_objects(transcoder)
        transcoder.register(PersonalDataAsSealed(self.keys))
        transcoder.register(HealthDataAsSealed(self.keys))

    # --- the write path ------------------------------------------------------------------

    def _commit(self, ctx: Context, decide: Decision[T], *, reason: str = "") -> tuple[T, int]:
        """Decide and save atomically; on a concurrent change, decide again (bounded)."""
        audit = Audit(
            actor_id=ctx.actor.actor_id,
            role=ctx.actor.role,
            reason=reason.strip(),
            request_id=ctx.request_id,
            correlation_id=ctx.correlation_id,
        )
        for attempt in range(self.max_attempts):
            with recorded_as(audit, self.clock()):
                aggregates, value = decide()
            if not aggregates:
                return value, self.head()
            try:
                recordings = self.save(*aggregates)
            except IntegrityError:
                time.sleep(random.uniform(0, 0.002 * 2 ** min(attempt, 6)))
                continue
            return value, recordings[-1].notification.id
        raise ConcurrentUpdate()

    def _commit_once(
        self,
        ctx: Context,
        command: str,
        body: dict[str, object],
        decide: Decision[T],
        *,
        reason: str = "",
    ) -> int:
        """`_commit` for commands with no natural key: with a request id, a retry of the same
        body by the same actor is answered with the log head and records nothing again; the
        same request id with another body is REQUEST_ID_REUSED."""
        if not ctx.request_id:
            return self._commit(ctx, decide, reason=reason)[1]
        fingerprint = _fingerprint(command, {**body, "reason": reason.strip()})
        key = receipt_id(ctx.actor.actor_id, ctx.request_id)

        def once() -> tuple[list[Any], T | None]:
            receipt = self._find(key, CommandReceipt)
            if receipt is not None:
                if receipt.fingerprint != fingerprint:
                    raise RequestIdReused("this request id was used for another command")
                return [], None
            aggregates, value = decide()
            done = CommandReceipt(id=key, command=command, fingerprint=fingerprint)
            return [*aggregates, done], value

        return self._commit(ctx, once, reason=reason)[1]

    def head(self) -> int:
        return self.recorder.max_notification_id() or 0

    def today(self) -> date:
        """The region's calendar day (Asia/Shanghai) by the application's clock."""
        return self.clock().astimezone(REGION_TZ).date()

    # --- loading -------------------------------------------------------------------------

    def _find(self, aggregate_id: UUID, kind: type[A]) -> A | None:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, kind) else None

    def _get(self, aggregate_id: UUID, kind: type[A], what: str = "") -> A:
        aggregate = self._find(aggregate_id, kind)
        if aggregate is None:
            raise NotFound(f"no {what or kind.__name__} {aggregate_id}")
        return aggregate
