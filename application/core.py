"""The write path shared by every command: decide under an audit stamp, commit, retry.

A command is a *decision* — a function that loads aggregates, calls their methods and returns
(aggregates to save, value). `RegionCore._commit` runs it inside the audit context and saves
everything it touched in one transaction; a concurrent change to the same aggregate
(optimistic concurrency on (id, version)) makes it decide again on fresh state. Decisions
never perform I/O besides loading, so a group committer can later run many of them and save
them in one transaction without touching the domain.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
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
from application.decision_cache import DecisionCache, LogWatch, topics_of
from application.group_commit import BatchConflict, GroupCommitter
from application.personal_data import HealthDataAsSealed, KeyStore, PersonalDataAsSealed
from application.transcodings import register_value_objects
from domain.agreement import Institution, InstitutionAgreement
from domain.audit import Audit, recorded_as
from domain.errors import ConcurrentUpdate, NotFound, RequestIdReused
from domain.fund import FundAccount
from domain.health_data import HealthData
from domain.person import InsuredPerson
from domain.policy import PolicyBook
from domain.receipt import CommandReceipt, receipt_id
from domain.token import ApiToken

T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)
REGION_TZ = ZoneInfo("Asia/Shanghai")
# Read by decisions without being saved: kept current by the log watch.
WATCHED = (Institution, InstitutionAgreement, ApiToken)
# Decided on from the decision cache: the watched kinds, and the person every settlement saves.
CACHED = (*WATCHED, InsuredPerson)
Decision = Callable[[], tuple[list[Any], T]]


def _fingerprint(command: str, body: dict[str, object]) -> str:
    canonical = json.dumps([command, body], sort_keys=True, default=_by_value, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _by_value(value: object) -> str:
    """Numbers by value ("100" and "100.00" are the same amount on a retry), others as text."""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def project(aggregate: Any, events: Iterable[Any]) -> Any:
    """The library's `project_aggregate` without its per-event `isinstance` check against a
    runtime protocol: that check was half of a replay's time (profiled, 1,000 events)."""
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


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
        self.decisions = DecisionCache(maxsize=int(self.env["AGGREGATE_CACHE_MAXSIZE"]))
        self.watch = LogWatch(self.recorder, self.decisions, topics_of(*WATCHED))
        self.committer = GroupCommitter(
            self, self._remember, new_keys=self._new_keys, keys=self.keys
        )

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
                recordings = self.committer.save(*aggregates)
            except BatchConflict:
                continue
            except IntegrityError:
                # Someone else changed what this decision started from (or the request id
                # was used meanwhile): forget it, decide again on what the store holds.
                self.decisions.forget(a.id for a in aggregates if isinstance(a, Aggregate))
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

    def _new_keys(self, events: Sequence[Any]) -> Mapping[UUID, bytes]:
        """Keys for the new settlements among these events, to be written with them (by a
        recorder that can, `interfaces/recorders.py`; else created together beforehand)."""
        subjects = [
            event.originator_id
            for event in events
            if event.originator_version == 1
            and isinstance(health := getattr(event, "health", None), HealthData)
            and health.subject_id == event.originator_id
            and not health.is_shredded
        ]
        if not subjects:
            return {}
        if getattr(self.recorder, "writes_new_keys", False):
            return self.keys.reserve(subjects)
        self.keys.create_many(subjects)
        return {}

    def _remember(self, committed: Sequence[Any]) -> None:
        for aggregate in committed:
            if isinstance(aggregate, CACHED):
                self.decisions.remember(aggregate)

    def head(self) -> int:
        return self.recorder.max_notification_id() or 0

    def today(self) -> date:
        """The region's calendar day (Asia/Shanghai) by the application's clock."""
        return self.clock().astimezone(REGION_TZ).date()

    # --- loading -------------------------------------------------------------------------

    def _find(self, aggregate_id: UUID, kind: type[A]) -> A | None:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id, projector_func=project)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, kind) else None

    def _decision_input(self, aggregate_id: UUID, kind: type[A]) -> A | None:
        """`_find` for the hot path: the cached committed state when there is one (see
        `application/decision_cache.py` for why that stays exact), else the store's."""
        if issubclass(kind, WATCHED):
            self.watch.refresh()
        cached = self.decisions.copy_of(aggregate_id)
        if cached is not None:
            return cached if isinstance(cached, kind) else None
        found = self._find(aggregate_id, kind)
        if found is not None and isinstance(found, CACHED):
            self.decisions.remember(copy.deepcopy(found))
        return found

    def _get(self, aggregate_id: UUID, kind: type[A], what: str = "") -> A:
        aggregate = self._find(aggregate_id, kind)
        if aggregate is None:
            raise NotFound(f"no {what or kind.__name__} {aggregate_id}")
        return aggregate
