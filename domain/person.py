"""The insured person (参保人): enrollment, suspensions, termination, personal account, claims.

The person keeps what its decisions need, not its history: each settled claim adds to the
year's accumulators, takes from the personal account and, for an admission, adds to the
deductible that admission has paid (admissions of the last two service years are kept). A
reversal carries what the claim took (from the settlement) and gives exactly that back. The
history stays in the events and the views, so the state and its snapshots stay small however
many claims a chronically ill patient settles. (Claims recorded before this rule are kept as
`legacy_claims` until reversed: old ClaimReversed events name only the settlement.)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain import standing
from domain.audit import require_reason
from domain.base import YibaoAggregate
from domain.calendar import add_months
from domain.errors import (
    AccountNotAvailable,
    AlreadyCredited,
    AlreadySuspended,
    AlreadyTerminated,
    NotEnrolled,
    NotSuspended,
    RuleViolation,
    ValidationFailed,
)
from domain.money import ZERO, fen
from domain.personal_data import PersonalData
from domain.settlement_rules import Claimant, SettlementResult
from domain.values import CATEGORIES, EMPLOYEE, DateWindow, require_period

PERSON_NOT_ENROLLED = "PERSON_NOT_ENROLLED"
PERSON_SUSPENDED = "PERSON_SUSPENDED"


@dataclass(frozen=True)
class YearToDate:
    """A person's accumulators for one calendar (service) year."""

    outpatient_deductible_used: Decimal = ZERO
    fund_paid_basic: Decimal = ZERO
    fund_paid_major: Decimal = ZERO

    @property
    def fund_paid(self) -> Decimal:
        return self.fund_paid_basic + self.fund_paid_major

    def plus(self, claim: ClaimEntry, sign: int = 1) -> YearToDate:
        return YearToDate(
            self.outpatient_deductible_used + sign * claim.deductible_consumed,
            self.fund_paid_basic + sign * claim.basic_fund_pay,
            self.fund_paid_major + sign * claim.major_fund_pay,
        )


@dataclass(frozen=True)
class ClaimEntry:
    """What one settled claim took from the person's year and account."""

    year: int
    deductible_consumed: Decimal
    basic_fund_pay: Decimal
    major_fund_pay: Decimal
    account_pay: Decimal
    reversed: bool = False
    admission: str = ""  # the inpatient visit id, "" for outpatient claims
    admission_deductible: Decimal = ZERO
    # The institution whose visit it is; None for claims recorded before issue #8 (their
    # admission was the visit id alone, and stays so).
    admission_institution: str | None = None

    @classmethod
    def taken(
        cls, service_date: date, admission: Admission | None, result: SettlementResult
    ) -> ClaimEntry:
        """What a settled claim takes; an admission's deductible is paid once."""
        return cls(
            service_date.year,
            result.outpatient_deductible_consumed,
            result.basic_fund_pay,
            result.major_fund_pay,
            result.account_pay,
            admission=admission.visit_id if admission else "",
            admission_deductible=result.deductible if admission else ZERO,
            admission_institution=admission.institution_code if admission else None,
        )

    @property
    def admission_key(self) -> str:
        """Where the person keeps this claim's admission deductible ("" for none)."""
        if not self.admission:
            return ""
        return admission_key(self.admission_institution, self.admission)


@dataclass(frozen=True)
class Admission:
    """An inpatient stay: (institution, visit id). Two institutions may number their
    visits alike; their admissions never share a deductible (DOMAIN §5 step 5)."""

    institution_code: str
    visit_id: str

    @classmethod
    def of_visit(cls, institution_code: str, visit_type: str, visit_id: str) -> Admission | None:
        """The admission an inpatient visit belongs to; None for an outpatient visit."""
        return cls(institution_code, visit_id) if visit_type == "inpatient" else None


def admission_key(institution_code: str | None, visit_id: str) -> str:
    """`code|visit`; claims recorded before issue #8 name no institution (`|visit`) and count
    for that visit id at any institution. Institution codes never contain `|`."""
    return f"{institution_code or ''}|{visit_id}"


ADMISSION_YEARS_KEPT = 2  # an admission's deductible is shared by claims within this span


class InsuredPerson(YibaoAggregate):
    """One person's enrollment in one scheme. Its id is a keyed hash of (scheme, national ID)."""

    class_version = 2  # of the state in snapshots

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        # Version 1 kept every claim; what may still be reversed stays as legacy claims.
        claims = state.pop("claims", {})
        state["legacy_claims"] = {k: c for k, c in claims.items() if not c.reversed}
        state["admission_deductibles"], state["admission_years"] = {}, {}
        for c in claims.values():
            if c.admission and not c.reversed:
                paid = state["admission_deductibles"].get(c.admission_key, ZERO)
                state["admission_deductibles"][c.admission_key] = paid + c.admission_deductible
                state["admission_years"][c.admission_key] = c.year

    @classmethod
    def enroll(
        cls,
        *,
        person_id: UUID,
        scheme: str,
        region_code: str,
        enrolled_on: date,
        contribution_start: date | None,
        categories: list[str],
        masked_id: str,
        personal: PersonalData,
    ) -> InsuredPerson:
        unknown = sorted(set(categories) - set(CATEGORIES))
        if unknown:
            raise ValidationFailed("categories", f"unknown category {unknown[0]!r}")
        return cls(
            id=person_id,
            scheme=scheme,
            region_code=region_code,
            enrolled_on=enrolled_on,
            contribution_start=contribution_start,
            categories=sorted(set(categories)),
            masked_id=masked_id,
            personal=personal,
        )

    @event("Enrolled")
    def __init__(
        self,
        id: UUID,
        scheme: str,
        region_code: str,
        enrolled_on: date,
        contribution_start: date | None,
        categories: list[str],
        masked_id: str,
        personal: PersonalData,
    ) -> None:
        """The agency enrolled the person in a scheme of the region."""
        self.scheme = scheme
        self.region_code = region_code
        self.enrolled_on = enrolled_on
        self.contribution_start = contribution_start
        self.categories = list(categories)
        self.masked_id = masked_id
        self.personal = personal
        self.suspensions: list[DateWindow] = []
        self.terminated_on: date | None = None
        self.account_balance = ZERO
        self.credited_periods: list[str] = []
        self.years: dict[str, YearToDate] = {}
        self.admission_deductibles: dict[str, Decimal] = {}  # admission key → paid
        self.admission_years: dict[str, int] = {}  # admission key → latest service year
        self.legacy_claims: dict[str, ClaimEntry] = {}

    # --- queries -------------------------------------------------------------------------

    def standing_on(self, day: date) -> str | None:
        """None when the person may claim on `day`, else the rejection code."""
        status = self.status_on(day)
        if status == standing.ENROLLED:
            return None
        return PERSON_SUSPENDED if status == standing.SUSPENDED else PERSON_NOT_ENROLLED

    def status_on(self, day: date) -> str:
        return standing.person_status_on(
            day, self.enrolled_on, self.terminated_on, self.suspensions
        )

    def year(self, year: int) -> YearToDate:
        return self.years.get(str(year), YearToDate())

    def admission_deductible_used(self, admission: Admission) -> Decimal:
        """Inpatient deductible already paid in this admission's earlier settlements."""
        paid = self.admission_deductibles
        return paid.get(admission_key(admission.institution_code, admission.visit_id), ZERO) + (
            paid.get(admission_key(None, admission.visit_id), ZERO)
        )

    def claimant(self, service_date: date, admission: Admission | None = None) -> Claimant:
        """The person as the settlement rules see them on the service date."""
        if self.personal.birth_date is None:
            raise RuleViolation("the person's data has been disposed of")
        ytd = self.year(service_date.year)
        return Claimant(
            scheme=self.scheme,
            birth_date=self.personal.birth_date,
            categories=frozenset(self.categories),
            enrolled_on=self.enrolled_on,
            contribution_start=self.contribution_start,
            outpatient_deductible_used=ytd.outpatient_deductible_used,
            fund_paid_basic=ytd.fund_paid_basic,
            fund_paid_major=ytd.fund_paid_major,
            account_balance=self.account_balance,
            admission_deductible_used=self.admission_deductible_used(admission)
            if admission
            else ZERO,
        )

    # --- commands ------------------------------------------------------------------------

    def suspend(self, window: DateWindow, *, fraud: bool, fraud_months: tuple[int, int]) -> None:
        """Stop benefits for claims whose service date falls in the window."""
        require_reason("a suspension")
        self._require_before_termination(window)
        if fraud:
            _require_months(window, fraud_months)
        if any(window.overlaps(existing) for existing in self.suspensions):
            raise AlreadySuspended()
        self._suspended(window=window, fraud=fraud)

    @event("Suspended")
    def _suspended(self, window: DateWindow, fraud: bool) -> None:
        """The agency suspended benefits for a window (fraud: 3–12 months)."""
        self.suspensions.append(window)

    def reinstate(self, effective_from: date) -> None:
        """End the suspension that covers `effective_from`."""
        require_reason("a reinstatement")
        if not any(w.contains(effective_from) for w in self.suspensions):
            raise NotSuspended()
        self._reinstated(effective_from=effective_from)

    @event("Reinstated")
    def _reinstated(self, effective_from: date) -> None:
        """The agency ended a suspension from this date."""
        self.suspensions = standing.reinstated(self.suspensions, effective_from)

    def terminate(self, effective_from: date) -> None:
        """End the enrollment (death, moving away): no claim from that date settles."""
        require_reason("a termination")
        self._require_not_terminated(effective_from)
        self._terminated(effective_from=effective_from)

    @event("Terminated")
    def _terminated(self, effective_from: date) -> None:
        """The agency terminated the enrollment from this date."""
        self.terminated_on = effective_from

    def credit_account(self, amount: Decimal, period: str) -> None:
        """Credit the monthly allocation to the personal account (employee scheme only)."""
        if self.scheme != EMPLOYEE:
            raise AccountNotAvailable()
        if amount <= ZERO or fen(amount) != amount:
            raise ValidationFailed("amount", "must be a positive amount in fen")
        require_period(period)
        if period in self.credited_periods:
            raise AlreadyCredited(f"the account was already credited for {period}")
        self._account_credited(amount=amount, period=period)

    @event("AccountCredited")
    def _account_credited(self, amount: Decimal, period: str) -> None:
        """The agency credited the personal account for a month."""
        self.account_balance += amount
        self.credited_periods.append(period)

    def record_claim(
        self,
        settlement_id: UUID,
        service_date: date,
        admission: Admission | None,
        result: SettlementResult,
    ) -> None:
        """Add a settled claim to the year's accumulators and pay its account share.

        `admission` is the inpatient stay (None for an outpatient claim): its deductible is
        paid once."""
        if result.account_pay > self.account_balance:
            raise RuleViolation("the personal account cannot go below zero")
        entry = ClaimEntry.taken(service_date, admission, result)
        self._claim_settled(
            settlement_id=settlement_id,
            service_date=service_date,
            deductible_consumed=entry.deductible_consumed,
            basic_fund_pay=entry.basic_fund_pay,
            major_fund_pay=entry.major_fund_pay,
            account_pay=entry.account_pay,
            admission=entry.admission,
            admission_deductible=entry.admission_deductible,
            admission_institution=entry.admission_institution,
            legacy=False,
        )

    class ClaimSettled(YibaoAggregate.Event):
        """A claim of the person was settled by an institution."""

        class_version = 4
        settlement_id: UUID
        service_date: date
        deductible_consumed: Decimal
        basic_fund_pay: Decimal
        major_fund_pay: Decimal
        account_pay: Decimal
        admission: str
        admission_deductible: Decimal
        admission_institution: str | None
        legacy: bool

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Version 1 did not track admissions: its claims share no deductible.
            state["admission"] = ""
            state["admission_deductible"] = ZERO

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            # Version 2 keyed an admission by visit id alone: it stays so (None).
            state["admission_institution"] = None

        @staticmethod
        def upcast_v3_v4(state: dict[str, Any]) -> None:
            # Claims of versions 1–3 may be reversed by an event naming only the settlement.
            state["legacy"] = True

    @event(ClaimSettled)
    def _claim_settled(
        self,
        settlement_id: UUID,
        service_date: date,
        deductible_consumed: Decimal,
        basic_fund_pay: Decimal,
        major_fund_pay: Decimal,
        account_pay: Decimal,
        admission: str,
        admission_deductible: Decimal,
        admission_institution: str | None,
        legacy: bool,
    ) -> None:
        entry = ClaimEntry(
            service_date.year,
            deductible_consumed,
            basic_fund_pay,
            major_fund_pay,
            account_pay,
            admission=admission,
            admission_deductible=admission_deductible,
            admission_institution=admission_institution,
        )
        if legacy:
            self.legacy_claims[settlement_id.hex] = entry
        self._take(entry)

    def _take(self, entry: ClaimEntry, sign: int = 1) -> None:
        """Apply what a claim took (sign 1) or give it back (sign -1)."""
        self.years[str(entry.year)] = self.year(entry.year).plus(entry, sign)
        self.account_balance -= sign * entry.account_pay
        key = entry.admission_key
        if not key:
            return
        paid = self.admission_deductibles.get(key, ZERO)
        self.admission_deductibles[key] = paid + sign * entry.admission_deductible
        latest = max(entry.year, self.admission_years.get(key, entry.year))
        self.admission_years[key] = latest
        for visit, year in list(self.admission_years.items()):
            if year <= latest - ADMISSION_YEARS_KEPT:
                del self.admission_years[visit], self.admission_deductibles[visit]

    def record_refusal(self, settlement_id: UUID, service_date: date, code: str) -> None:
        """Note a rejected claim on the person's history (auditors look for repeats)."""
        self._claim_refused(settlement_id=settlement_id, service_date=service_date, code=code)

    @event("ClaimRefused")
    def _claim_refused(self, settlement_id: UUID, service_date: date, code: str) -> None:
        """A claim of the person was rejected; nothing was paid or consumed."""

    def reverse_claim(self, settlement_id: UUID, entry: ClaimEntry) -> None:
        """Give back exactly what the claim took (`entry`, from its settlement); later claims
        are not re-adjudicated. The settlement itself refuses a second reversal."""
        legacy = self.legacy_claims.get(settlement_id.hex)
        if legacy is not None and replace(legacy, reversed=False) != entry:
            raise RuleViolation("the claim on this person differs from the settlement")
        self._claim_reversed(settlement_id=settlement_id, entry=entry)

    class ClaimReversed(YibaoAggregate.Event):
        """A settled claim was reversed; its accumulators and account pay are restored."""

        class_version = 2
        settlement_id: UUID
        entry: ClaimEntry | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Version 1 named the settlement only: what it took is in the legacy claims.
            state["entry"] = None

    @event(ClaimReversed)
    def _claim_reversed(self, settlement_id: UUID, entry: ClaimEntry | None) -> None:
        legacy = self.legacy_claims.pop(settlement_id.hex, None)
        taken = entry or legacy
        if taken is None:
            raise RuleViolation("no settled claim to reverse on this person")
        self._take(taken, sign=-1)

    def _require_before_termination(self, window: DateWindow) -> None:
        """After a termination, only a window ending by its effective date (a late inspection
        finding, DOMAIN §2) may still be recorded; `until` is exclusive."""
        ends = self.terminated_on
        if ends is not None and window.until is not None and window.until <= ends:
            self._require_enrolled_on(window.start)
            return
        self._require_not_terminated(window.start)

    def _require_enrolled_on(self, day: date) -> None:
        if day < self.enrolled_on:
            raise NotEnrolled("the date is before the enrollment")

    def _require_not_terminated(self, day: date) -> None:
        if self.terminated_on is not None:
            raise AlreadyTerminated()
        self._require_enrolled_on(day)


def _require_months(window: DateWindow, months: tuple[int, int]) -> None:
    low, high = months
    if window.until is None:
        raise ValidationFailed("effective_until", "a fraud suspension needs an end date")
    if not (add_months(window.start, low) <= window.until <= add_months(window.start, high)):
        raise ValidationFailed(
            "effective_until", f"a fraud suspension lasts {low} to {high} months"
        )
