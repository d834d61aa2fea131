"""The settlement computation of DOMAIN.md §5: a pure function of request, person and policy.

No I/O and no clock: everything it needs is an argument. Money is rounded half up to the fen
at each step (``fen``), and the result always conserves: total = fund + account + cash.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.calendar import add_months, full_years
from domain.errors import ValidationFailed
from domain.money import ZERO, fen
from domain.policy import Policy, SchemeRules

CATEGORIES = ("A", "B", "C")
VISIT_TYPES = ("outpatient", "inpatient")
WAITING_PERIOD = "WAITING_PERIOD"


class ItemAmountMismatch(ValidationFailed):
    """A claim item is inconsistent (amount ≠ quantity × unit price, bad category, negative)."""

    def __init__(self, index: int | None, detail: str, attribute: str = "amount") -> None:
        self.index = index
        super().__init__("items" if index is None else f"items[{index}].{attribute}", detail)


@dataclass(frozen=True)
class ClaimItem:
    code: str
    name: str
    category: str  # "A" 甲类 | "B" 乙类 | "C" 丙类
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class ClaimRequest:
    visit_type: str  # "outpatient" | "inpatient"
    service_date: date  # admission date for inpatients
    items: tuple[ClaimItem, ...]


@dataclass(frozen=True)
class Claimant:
    """The person's state before the claim; accumulators are for the service year."""

    scheme: str  # "resident" | "employee"
    birth_date: date
    categories: frozenset[str]  # student, infant, low_income, severely_disabled
    enrolled_on: date
    contribution_start: date | None
    outpatient_deductible_used: Decimal
    fund_paid_basic: Decimal
    fund_paid_major: Decimal
    account_balance: Decimal
    # Inpatient deductible already paid in earlier (interim) settlements of this admission.
    admission_deductible_used: Decimal = ZERO


@dataclass(frozen=True)
class SettlementResult:
    total: Decimal
    out_of_scope: Decimal
    self_pay_first: Decimal
    eligible: Decimal
    deductible: Decimal
    ratio: Decimal
    fund_pay: Decimal
    basic_fund_pay: Decimal
    major_fund_pay: Decimal
    over_cap: Decimal
    account_pay: Decimal
    cash_pay: Decimal
    policy_version: str
    reason_codes: tuple[str, ...]
    outpatient_deductible_consumed: Decimal


@dataclass(frozen=True)
class _Benefit:
    """Steps 5–8: what the fund pays and from which layer."""

    deductible: Decimal = ZERO
    ratio: Decimal = ZERO
    fund_pay: Decimal = ZERO
    basic: Decimal = ZERO
    major: Decimal = ZERO
    over_cap: Decimal = ZERO
    outpatient_deductible_consumed: Decimal = ZERO


@dataclass(frozen=True)
class _Scope:
    """Steps 1–4: what the claim costs and how much of it the fund may consider."""

    total: Decimal
    out_of_scope: Decimal
    self_pay_first: Decimal
    eligible: Decimal


def check_items(items: Sequence[ClaimItem]) -> None:
    """Raise ``ItemAmountMismatch`` unless every item is consistent and there is at least one."""
    if not items:
        raise ItemAmountMismatch(None, "a claim needs at least one item")
    for index, item in enumerate(items):
        if item.category not in CATEGORIES:
            raise ItemAmountMismatch(index, "category must be A, B or C", "category")
        for attribute in ("quantity", "unit_price", "amount"):
            if getattr(item, attribute) < 0:
                raise ItemAmountMismatch(index, "must not be negative", attribute)
        if item.quantity <= 0:
            raise ItemAmountMismatch(index, "must be positive", "quantity")
        if item.amount != fen(item.quantity * item.unit_price) or item.amount != fen(item.amount):
            raise ItemAmountMismatch(index, "amount must equal quantity × unit price, to the fen")


def in_waiting_period(claimant: Claimant, service_date: date, policy: Policy) -> bool:
    """True when a late enrolment's benefits have not started yet on the service date."""
    rule = policy.scheme(claimant.scheme).waiting_period
    if rule is None:
        return False
    enrolled = claimant.enrolled_on
    if (enrolled.month, enrolled.day) <= rule.enrolled_after:
        return False
    if rule.newborns_exempt and full_years(claimant.birth_date, enrolled) < 1:
        return False
    return service_date < add_months(enrolled, rule.months)


def adjudicate(
    request: ClaimRequest, claimant: Claimant, institution_level: int, policy: Policy
) -> SettlementResult:
    """Settle one claim under ``policy``: steps 1–10 of DOMAIN.md §5."""
    check_items(request.items)
    if request.visit_type not in VISIT_TYPES:
        raise ValueError(f"visit type must be outpatient or inpatient, got {request.visit_type!r}")
    rules = policy.scheme(claimant.scheme)
    rules.inpatient_ratio.at(institution_level)  # refuse an unknown level even when waiting
    scope = _scope(request.items, rules)
    if in_waiting_period(claimant, request.service_date, policy):
        return _settle(scope, _Benefit(), claimant, policy, (WAITING_PERIOD,))
    benefit = _benefit(scope, request, claimant, institution_level, policy)
    return _settle(scope, benefit, claimant, policy, ())


def _benefit(
    scope: _Scope, request: ClaimRequest, claimant: Claimant, level: int, policy: Policy
) -> _Benefit:
    rules = policy.scheme(claimant.scheme)
    deductible = min(scope.eligible, _remaining_deductible(request, claimant, level, policy))
    ratio = _ratio(request, claimant, level, policy)
    fund_raw = fen((scope.eligible - deductible) * ratio)
    paid = claimant.fund_paid_basic + claimant.fund_paid_major
    fund_pay = min(fund_raw, max(rules.annual_cap - paid, ZERO))
    # The basic layer pays until the person's year total reaches the basic limit; the major
    # layer pays the rest (DOMAIN.md §5 step 8).
    basic = min(fund_pay, max(rules.basic_limit - paid, ZERO))
    return _Benefit(
        deductible=deductible,
        ratio=ratio,
        fund_pay=fund_pay,
        basic=basic,
        major=fund_pay - basic,
        over_cap=fund_raw - fund_pay,
        outpatient_deductible_consumed=deductible if request.visit_type == "outpatient" else ZERO,
    )


def _scope(items: Iterable[ClaimItem], rules: SchemeRules) -> _Scope:
    amounts = {category: ZERO for category in CATEGORIES}
    for item in items:
        amounts[item.category] += item.amount
    total = fen(sum(amounts.values(), ZERO))
    self_pay_first = fen(amounts["B"] * rules.b_first_self_pay_ratio)
    eligible = total - amounts["C"] - self_pay_first
    return _Scope(total, fen(amounts["C"]), self_pay_first, fen(eligible))


def _age_reduced(claimant: Claimant, service_date: date, policy: Policy) -> bool:
    """Seniors, students and infants get the lower outpatient deductible."""
    age = full_years(claimant.birth_date, service_date)
    return (
        age >= policy.ages.senior_from
        or age < policy.ages.infant_under
        or "student" in claimant.categories
    )


def _remaining_deductible(
    request: ClaimRequest, claimant: Claimant, level: int, policy: Policy
) -> Decimal:
    rules = policy.scheme(claimant.scheme)
    if request.visit_type == "inpatient":
        # Once per admission: interim settlements of the same visit share one deductible.
        return max(rules.inpatient_deductible.at(level) - claimant.admission_deductible_used, ZERO)
    annual = [rules.outpatient_deductible.adult]
    if _age_reduced(claimant, request.service_date, policy):
        annual.append(rules.outpatient_deductible.senior)
    disabled = rules.severely_disabled_outpatient_deductible
    if disabled is not None and "severely_disabled" in claimant.categories:
        annual.append(disabled)
    # Several categories may apply; the person gets the most favourable one.
    return max(min(annual) - claimant.outpatient_deductible_used, ZERO)


def _ratio(request: ClaimRequest, claimant: Claimant, level: int, policy: Policy) -> Decimal:
    rules = policy.scheme(claimant.scheme)
    if request.visit_type == "outpatient":
        return rules.outpatient_ratio.at(level)
    bonus = ZERO
    if rules.inpatient_bonus is not None and claimant.contribution_start is not None:
        years = full_years(claimant.contribution_start, request.service_date)
        bonus = rules.inpatient_bonus.for_years(years)
    return min(rules.inpatient_ratio.at(level) + bonus, Decimal("1.00"))


def _settle(
    scope: _Scope,
    benefit: _Benefit,
    claimant: Claimant,
    policy: Policy,
    reasons: tuple[str, ...],
) -> SettlementResult:
    """Steps 9–10: the person's share, paid by the account (employees) and then in cash."""
    person_share = scope.total - benefit.fund_pay
    # Only the employee scheme has a personal account (DOMAIN.md §2); it never goes below zero.
    account = max(claimant.account_balance, ZERO) if claimant.scheme == "employee" else ZERO
    account_pay = min(account, person_share)
    return SettlementResult(
        total=scope.total,
        out_of_scope=scope.out_of_scope,
        self_pay_first=scope.self_pay_first,
        eligible=scope.eligible,
        deductible=fen(benefit.deductible),
        ratio=benefit.ratio,
        fund_pay=fen(benefit.fund_pay),
        basic_fund_pay=fen(benefit.basic),
        major_fund_pay=fen(benefit.major),
        over_cap=fen(benefit.over_cap),
        account_pay=fen(account_pay),
        cash_pay=fen(person_share - account_pay),
        policy_version=policy.version,
        reason_codes=reasons,
        outpatient_deductible_consumed=fen(benefit.outpatient_deductible_consumed),
    )
