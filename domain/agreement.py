"""Designated institutions (定点医疗机构) and their service agreements (服务协议).

`Institution` is the register entry of one institution code: it names its agreements in
order, so "one agreement in force per institution" is checked on one aggregate.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain import standing
from domain.audit import require_reason
from domain.base import YibaoAggregate
from domain.calendar import add_months
from domain.errors import (
    AgreementInForce,
    AgreementNotActive,
    AlreadySuspended,
    NotSuspended,
    RenewalTooLate,
    ValidationFailed,
    VoluntaryNotAllowed,
)
from domain.money import ZERO
from domain.values import DateWindow

AGREEMENT_NOT_IN_FORCE = "AGREEMENT_NOT_IN_FORCE"
AGREEMENT_SUSPENDED = "AGREEMENT_SUSPENDED"
OWNERSHIPS = ("public", "private")
LEVELS = (1, 2, 3)
MAX_TERM_YEARS = 5  # API.md: an agreement's term is at most 5 years
TERMINATION_GROUNDS = (
    "fraud",  # 骗取医保基金
    "repeated_suspension",  # 中止两次及以上
    "serious_violation",  # 严重违反协议
    "refused_inspection",  # 拒绝监督检查
    "closed",  # 停业、歇业、注销
    "voluntary",  # 机构主动提出
    "other",
)


def require_institution_code(code: str) -> str:
    if len(code) != 12 or not code.isalnum() or not code.isascii():
        raise ValidationFailed("institution_code", "must be 12 letters or digits")
    return code


class Institution(YibaoAggregate):
    """The register entry of one institution code: its agreements, newest last."""

    @staticmethod
    def create_id(code: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"yibao:institution:{code}")

    @event("Registered")
    def __init__(self, code: str) -> None:
        """The agency registered the institution code (with its first agreement)."""
        self.code = code
        self.agreement_ids: list[UUID] = []

    def next_agreement_id(self) -> UUID:
        return uuid5(NAMESPACE_URL, f"yibao:agreement:{self.code}:{len(self.agreement_ids) + 1}")

    def add_agreement(self, agreement_id: UUID) -> None:
        self._agreement_added(agreement_id=agreement_id)

    @event("AgreementAdded")
    def _agreement_added(self, agreement_id: UUID) -> None:
        """A new agreement was signed with the institution."""
        self.agreement_ids.append(agreement_id)


class InstitutionAgreement(YibaoAggregate):
    """The service agreement between the agency and one institution."""

    class_version = 3  # of the state in snapshots

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        # Version 1 kept every voluntary window as ending the agreement. It recorded no flag
        # event, so, as on a replay of its events, the flag comes with the next suspension.
        voluntary = state.pop("voluntary_suspensions", [])
        state["pending_ends"] = {w.start.isoformat(): w.until for w in voluntary if w.until}
        state["flagged_for_termination"] = False

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        # Version 2 kept the last term's annual budget only: every term is taken to have had it.
        state["term_budgets"] = [state["annual_budget"] for _ in state["terms"]]

    @event("Signed")
    def __init__(
        self,
        id: UUID,
        institution_code: str,
        institution_name: str,
        region_code: str,
        level: int,
        ownership: str,
        term_start: date,
        term_end: date,
        annual_budget: Decimal,
    ) -> None:
        """The agency signed an agreement with an institution for a term."""
        self.institution_code = institution_code
        self.institution_name = institution_name
        self.region_code = region_code
        self.level = level
        self.ownership = ownership
        self.terms: list[DateWindow] = [DateWindow(term_start, term_end + timedelta(days=1))]
        self.annual_budget = annual_budget
        self.term_budgets: list[Decimal] = [annual_budget]  # one per term, in order
        self.suspensions: list[DateWindow] = []
        # Voluntary suspensions not yet lifted: window start → the day the agreement ends.
        self.pending_ends: dict[str, date] = {}
        self.flagged_for_termination = False
        self.terminated_on: date | None = None
        self.termination_ground: str | None = None

    @classmethod
    def sign(
        cls,
        *,
        agreement_id: UUID,
        institution_code: str,
        institution_name: str,
        region_code: str,
        level: int,
        ownership: str,
        term_start: date,
        term_end: date,
        annual_budget: Decimal,
    ) -> InstitutionAgreement:
        require_institution_code(institution_code)
        if not institution_name.strip():
            raise ValidationFailed("institution_name", "must not be empty")
        if level not in LEVELS:
            raise ValidationFailed("level", "must be 1, 2 or 3")
        if ownership not in OWNERSHIPS:
            raise ValidationFailed("ownership", "must be public or private")
        _require_term(term_start, term_end)
        _require_budget(annual_budget)
        return cls(
            id=agreement_id,
            institution_code=institution_code,
            institution_name=institution_name.strip(),
            region_code=region_code,
            level=level,
            ownership=ownership,
            term_start=term_start,
            term_end=term_end,
            annual_budget=annual_budget,
        )

    # --- queries -------------------------------------------------------------------------

    @property
    def term_start(self) -> date:
        return self.terms[-1].start

    @property
    def term_end(self) -> date:
        """The last day of the current term."""
        until = self.terms[-1].until
        assert until is not None
        return until - timedelta(days=1)

    def ends_on(self) -> date | None:
        """The first day the agreement is no longer in force (termination or the auto-end
        of an unreinstated voluntary suspension)."""
        return standing.agreement_ends_on(self.terminated_on, self.pending_ends.values())

    def status_on(self, day: date) -> str:
        """in_force | suspended | terminated | ended | expired | not_yet_in_force."""
        return standing.agreement_status_on(
            day, self.terms, self.suspensions, self.terminated_on, self.ends_on()
        )

    def standing_on(self, day: date) -> str | None:
        """None when a claim with this service date may settle, else the rejection code."""
        status = self.status_on(day)
        if status == standing.IN_FORCE:
            return None
        return AGREEMENT_SUSPENDED if status == standing.SUSPENDED else AGREEMENT_NOT_IN_FORCE

    def is_in_force_on(self, day: date) -> bool:
        ends = self.ends_on()
        in_term = day <= self.term_end
        return in_term and (ends is None or day < ends)

    @property
    def suspension_count(self) -> int:
        return len(self.suspensions)

    # --- commands ------------------------------------------------------------------------

    def renew(
        self,
        term_start: date,
        term_end: date,
        annual_budget: Decimal,
        *,
        requested_on: date,
        notice_months: int,
    ) -> None:
        """Extend the agreement by a new term; asked at least `notice_months` before the end."""
        self._require_active(requested_on)
        _require_term(term_start, term_end)
        _require_budget(annual_budget)
        if term_start <= self.term_end:
            raise ValidationFailed("term_start", "must be after the current term's end")
        if add_months(requested_on, notice_months) > self.term_end + timedelta(days=1):
            raise RenewalTooLate(
                f"renewal must be requested at least {notice_months} months before "
                f"{self.term_end.isoformat()}"
            )
        self._renewed(term_start=term_start, term_end=term_end, annual_budget=annual_budget)

    @event("Renewed")
    def _renewed(self, term_start: date, term_end: date, annual_budget: Decimal) -> None:
        """The agency renewed the agreement for a new term."""
        self.terms.append(DateWindow(term_start, term_end + timedelta(days=1)))
        self.annual_budget = annual_budget
        self.term_budgets.append(annual_budget)

    def annual_budget_in(self, year: int) -> Decimal:
        """The annual budget of the (latest) term that touches the year; a year's budgets are
        part of it (§4b step 1). The latest figure when no term touches it."""
        first, last = date(year, 1, 1), date(year, 12, 31)
        touching = [
            budget
            for term, budget in zip(self.terms, self.term_budgets, strict=True)
            if term.start <= last and (term.until is None or term.until > first)
        ]
        return touching[-1] if touching else self.annual_budget

    def suspend(
        self,
        window: DateWindow,
        *,
        voluntary: bool,
        max_voluntary_days: int,
        flag_threshold: int,
    ) -> None:
        """Suspend (中止) the agreement: claims with a service date in the window are rejected.

        A voluntary suspension without an end lasts the maximum; if it is not lifted by then
        the agreement ends that day. Reaching `flag_threshold` suspensions flags the agreement
        (a termination ground)."""
        require_reason("an agreement suspension")
        self._require_active(window.start)
        ends_agreement_on = None
        if voluntary:
            if self.ownership == "public":
                raise VoluntaryNotAllowed()
            longest = window.start + timedelta(days=max_voluntary_days)
            if window.until is None:
                window, ends_agreement_on = DateWindow(window.start, longest), longest
            elif window.until > longest:
                raise ValidationFailed(
                    "effective_until",
                    f"a voluntary suspension lasts at most {max_voluntary_days} days",
                )
        if any(window.overlaps(w) for w in self.suspensions):
            raise AlreadySuspended()
        self._suspended(window=window, voluntary=voluntary, ends_agreement_on=ends_agreement_on)
        if len(self.suspensions) >= flag_threshold and not self.flagged_for_termination:
            self._flagged(suspensions=len(self.suspensions))

    class Suspended(YibaoAggregate.Event):
        """The agency suspended the agreement for a window (an unlifted voluntary one ends it)."""

        class_version = 2
        window: DateWindow
        voluntary: bool
        ends_agreement_on: date | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Version 1 ended the agreement at the end of every voluntary window.
            state["ends_agreement_on"] = state["window"].until if state["voluntary"] else None

    @event(Suspended)
    def _suspended(
        self, window: DateWindow, voluntary: bool, ends_agreement_on: date | None
    ) -> None:
        self.suspensions.append(window)
        if ends_agreement_on is not None:
            self.pending_ends[window.start.isoformat()] = ends_agreement_on

    @event("FlaggedForTermination")
    def _flagged(self, suspensions: int) -> None:
        """Suspended twice or more: a termination ground the agency must consider."""
        self.flagged_for_termination = True

    def reinstate(self, effective_from: date) -> None:
        """End the suspension covering `effective_from`."""
        require_reason("an agreement reinstatement")
        if not any(w.contains(effective_from) for w in self.suspensions):
            raise NotSuspended()
        self._reinstated(effective_from=effective_from)

    @event("Reinstated")
    def _reinstated(self, effective_from: date) -> None:
        """The agency lifted the suspension from this date (in time: the agreement goes on)."""
        for i, window in enumerate(self.suspensions):
            if window.contains(effective_from):
                self.suspensions[i] = window.ended_on(effective_from)
                self.pending_ends.pop(window.start.isoformat(), None)

    def terminate(self, ground: str, effective_from: date) -> None:
        """Terminate (解除) the agreement on one of the listed grounds."""
        require_reason("an agreement termination")
        if ground not in TERMINATION_GROUNDS:
            raise ValidationFailed("ground", f"must be one of {', '.join(TERMINATION_GROUNDS)}")
        if ground == "voluntary" and self.ownership == "public":
            raise VoluntaryNotAllowed()
        self._require_active(effective_from)
        self._terminated(ground=ground, effective_from=effective_from)

    @event("Terminated")
    def _terminated(self, ground: str, effective_from: date) -> None:
        """The agency terminated the agreement; the institution is listed publicly."""
        self.terminated_on = effective_from
        self.termination_ground = ground

    def _require_active(self, day: date) -> None:
        if self.terminated_on is not None:
            raise AgreementNotActive("the agreement was terminated")
        ends = self.ends_on()
        if ends is not None and day >= ends:
            raise AgreementNotActive("the agreement ended after a voluntary suspension")

    def require_no_other_in_force(self, day: date) -> None:
        if self.is_in_force_on(day):
            raise AgreementInForce(
                f"agreement {self.id} of {self.institution_code} is in force until "
                f"{self.term_end.isoformat()}"
            )


def _require_term(term_start: date, term_end: date) -> None:
    if term_end <= term_start:
        raise ValidationFailed("term_end", "must be after term_start")
    if term_end > add_months(term_start, 12 * MAX_TERM_YEARS):
        raise ValidationFailed("term_end", f"a term lasts at most {MAX_TERM_YEARS} years")


def _require_budget(annual_budget: Decimal) -> None:
    if annual_budget < ZERO:
        raise ValidationFailed("annual_budget", "must not be negative")
