"""Benefit policy: every figure of the rules, as data (read and validated by
``domain.policy_reading``).

A ``Policy`` is one version (e.g. ``demo-2026``) applying from its ``effective_from`` service date;
a ``PolicyBook`` holds all versions and picks the one in force for a service date.
Errors: ``PolicyInvalid`` (names the key path), ``UnknownLevel``, ``UnknownScheme``,
``NoPolicyInForce``, ``UnknownPolicyVersion``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.errors import NoPolicy

SCHEMES = ("resident", "employee")
LEVELS = (1, 2, 3)


class PolicyInvalid(ValueError):
    """A policy document is incomplete or wrong; ``path`` names the offending key."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


class UnknownLevel(ValueError):
    """The institution level is not one of 1, 2, 3."""


class UnknownScheme(ValueError):
    """The scheme is neither ``resident`` nor ``employee``."""


class NoPolicyInForce(NoPolicy):
    """No policy version applies to the service date."""


class UnknownPolicyVersion(KeyError):
    """No policy carries that version name."""


@dataclass(frozen=True)
class ByLevel:
    """One figure per institution level (一级/二级/三级)."""

    level1: Decimal
    level2: Decimal
    level3: Decimal

    def at(self, level: int) -> Decimal:
        if level not in LEVELS:
            raise UnknownLevel(f"institution level must be 1, 2 or 3, got {level!r}")
        return (self.level1, self.level2, self.level3)[level - 1]


@dataclass(frozen=True)
class OutpatientDeductible:
    """Annual outpatient deductible: ``senior`` for age ≥ senior_from, students and infants."""

    senior: Decimal
    adult: Decimal


@dataclass(frozen=True)
class ContributionBonus:
    """Inpatient ratio bonus for continuous contribution: ``per_step`` per full step, capped."""

    step_years: int
    per_step: Decimal
    max_bonus: Decimal

    def for_years(self, full_years: int) -> Decimal:
        return min(self.per_step * (max(full_years, 0) // self.step_years), self.max_bonus)


@dataclass(frozen=True)
class WaitingPeriod:
    """Enrolling after (month, day) of a year: benefits start ``months`` after enrolment."""

    enrolled_after: tuple[int, int]
    months: int
    newborns_exempt: bool


@dataclass(frozen=True)
class SchemeRules:
    """The benefit figures of one scheme."""

    outpatient_deductible: OutpatientDeductible
    outpatient_ratio: ByLevel
    inpatient_deductible: ByLevel
    inpatient_ratio: ByLevel
    b_first_self_pay_ratio: Decimal
    annual_cap: Decimal
    basic_limit: Decimal
    severely_disabled_outpatient_deductible: Decimal | None
    inpatient_bonus: ContributionBonus | None
    waiting_period: WaitingPeriod | None


@dataclass(frozen=True)
class Ages:
    infant_under: int
    senior_from: int


@dataclass(frozen=True)
class MultipleRange:
    """Penalty multiples allowed for a clawback basis, bounds inclusive."""

    low: Decimal
    high: Decimal

    def contains(self, multiple: Decimal) -> bool:
        return self.low <= multiple <= self.high


@dataclass(frozen=True)
class ClawbackRules:
    violation: MultipleRange
    fraud: MultipleRange

    def range_for(self, basis: str) -> MultipleRange:
        if basis not in ("violation", "fraud"):
            raise ValueError(f"clawback basis must be violation or fraud, got {basis!r}")
        return self.violation if basis == "violation" else self.fraud


@dataclass(frozen=True)
class AgreementRules:
    renewal_notice_months: int
    voluntary_suspension_max_days: int
    suspensions_flag_threshold: int


@dataclass(frozen=True)
class PersonRules:
    fraud_suspension_min_months: int
    fraud_suspension_max_months: int


@dataclass(frozen=True)
class BudgetRules:
    """Total budget cycle figures (§4b)."""

    prepayment_ratio: Decimal
    warning_thresholds: tuple[Decimal, ...]
    surplus_incentive_share: Decimal
    surplus_incentive_cap: Decimal
    overrun_band: Decimal
    overrun_fund_share: Decimal


@dataclass(frozen=True)
class Policy:
    """One version of the benefit policy."""

    version: str
    effective_from: date
    ages: Ages
    resident: SchemeRules
    employee: SchemeRules
    clawback: ClawbackRules
    agreement: AgreementRules
    person: PersonRules
    budget: BudgetRules

    def scheme(self, name: str) -> SchemeRules:
        if name not in SCHEMES:
            raise UnknownScheme(f"scheme must be resident or employee, got {name!r}")
        return self.resident if name == "resident" else self.employee


class PolicyBook:
    """All policy versions; the one in force is the latest ``effective_from`` ≤ service date."""

    def __init__(self, policies: Iterable[Policy]) -> None:
        self._policies = sorted(policies, key=lambda p: p.effective_from)
        versions = [p.version for p in self._policies]
        if len(set(versions)) != len(versions):
            raise PolicyInvalid("version", "two policies carry the same version")
        starts = [p.effective_from for p in self._policies]
        if len(set(starts)) != len(starts):
            raise PolicyInvalid("effective_from", "two policies start on the same date")

    def for_service_date(self, service_date: date) -> Policy:
        in_force = [p for p in self._policies if p.effective_from <= service_date]
        if not in_force:
            raise NoPolicyInForce(f"no policy in force on {service_date.isoformat()}")
        return in_force[-1]

    def version(self, name: str) -> Policy:
        for policy in self._policies:
            if policy.version == name:
                return policy
        raise UnknownPolicyVersion(name)

    def __iter__(self) -> Iterator[Policy]:
        return iter(self._policies)

    def __len__(self) -> int:
        return len(self._policies)
