"""Reading a policy from parsed data (e.g. TOML): every key checked, errors name their path."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.money import parse_money, ratio
from domain.policy import (
    LEVELS,
    Ages,
    AgreementRules,
    BudgetRules,
    ByLevel,
    ClawbackRules,
    ContributionBonus,
    MultipleRange,
    OutpatientDeductible,
    PersonRules,
    Policy,
    PolicyInvalid,
    SchemeRules,
    WaitingPeriod,
)


def read_policy(data: Mapping[str, Any]) -> Policy:
    """Build a policy from parsed data; raise ``PolicyInvalid`` on any flaw."""
    return _read_policy(_Table(data, ""))


class _Table:
    """A mapping being read key by key, so missing and unknown keys name their path."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise PolicyInvalid(path or "$", "must be a table")
        self._data = {str(key): value for key, value in data.items()}
        self._path = path
        self._read: set[str] = set()

    def path(self, key: str) -> str:
        return f"{self._path}.{key}" if self._path else key

    def has(self, key: str) -> bool:
        return key in self._data

    def raw(self, key: str) -> Any:
        if key not in self._data:
            raise PolicyInvalid(self.path(key), "missing")
        self._read.add(key)
        return self._data[key]

    def table(self, key: str) -> _Table:
        return _Table(self.raw(key), self.path(key))

    def money(self, key: str) -> Decimal:
        return _money(self.raw(key), self.path(key))

    def ratio(self, key: str) -> Decimal:
        return _unit_ratio(self.raw(key), self.path(key))

    def integer(self, key: str, minimum: int = 0) -> int:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise PolicyInvalid(self.path(key), f"must be an integer ≥ {minimum}")
        return value

    def pair(self, key: str) -> tuple[Any, Any]:
        value = self.raw(key)
        if not isinstance(value, list | tuple) or len(value) != 2:
            raise PolicyInvalid(self.path(key), "must be a [low, high] pair")
        return value[0], value[1]

    def done(self) -> None:
        unknown = sorted(set(self._data) - self._read)
        if unknown:
            raise PolicyInvalid(self.path(unknown[0]), "unknown key")


def _parsed(parse: Any, value: Any, path: str) -> Decimal:
    try:
        result: Decimal = parse(value)
    except ValueError as exc:
        raise PolicyInvalid(path, str(exc)) from None
    return result


def _unit_ratio(value: Any, path: str) -> Decimal:
    result = _parsed(ratio, value, path)
    if result > 1:
        raise PolicyInvalid(path, "a ratio must lie in [0, 1]")
    return result


def _read_policy(doc: _Table) -> Policy:
    version = doc.raw("version")
    if not isinstance(version, str) or not version.strip():
        raise PolicyInvalid("version", "must be a non-empty string")
    policy = Policy(
        version=version,
        effective_from=_date(doc.raw("effective_from"), "effective_from"),
        ages=_ages(doc.table("ages")),
        resident=_scheme(doc.table("resident")),
        employee=_scheme(doc.table("employee")),
        clawback=_clawback(doc.table("clawback")),
        agreement=_agreement(doc.table("agreement")),
        person=_person(doc.table("person")),
        budget=_budget(doc.table("budget")),
    )
    doc.done()
    return policy


def _date(value: Any, path: str) -> date:
    """A TOML date or an ISO date string, never a datetime."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PolicyInvalid(path, "must be an ISO date") from None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise PolicyInvalid(path, "must be a date")


def _ages(t: _Table) -> Ages:
    ages = Ages(infant_under=t.integer("infant_under"), senior_from=t.integer("senior_from"))
    t.done()
    return ages


def _scheme(t: _Table) -> SchemeRules:
    rules = SchemeRules(
        outpatient_deductible=_outpatient_deductible(t.table("outpatient_deductible")),
        outpatient_ratio=_by_level(t.table("outpatient_ratio"), _unit_ratio),
        inpatient_deductible=_by_level(t.table("inpatient_deductible"), _money),
        inpatient_ratio=_by_level(t.table("inpatient_ratio"), _unit_ratio),
        b_first_self_pay_ratio=t.ratio("b_first_self_pay_ratio"),
        annual_cap=t.money("annual_cap"),
        basic_limit=t.money("basic_limit"),
        severely_disabled_outpatient_deductible=(
            t.money("severely_disabled_outpatient_deductible")
            if t.has("severely_disabled_outpatient_deductible")
            else None
        ),
        inpatient_bonus=_bonus(t.table("inpatient_bonus")) if t.has("inpatient_bonus") else None,
        waiting_period=_waiting(t.table("waiting_period")) if t.has("waiting_period") else None,
    )
    if rules.basic_limit > rules.annual_cap:
        raise PolicyInvalid(t.path("basic_limit"), "must not exceed annual_cap")
    t.done()
    return rules


def _money(value: Any, path: str) -> Decimal:
    result = _parsed(parse_money, value, path)
    if result < 0:
        raise PolicyInvalid(path, "must not be negative")
    return result


def _by_level(t: _Table, parse: Any) -> ByLevel:
    values = [parse(t.raw(str(level)), t.path(str(level))) for level in LEVELS]
    t.done()
    return ByLevel(*values)


def _outpatient_deductible(t: _Table) -> OutpatientDeductible:
    rule = OutpatientDeductible(senior=t.money("senior"), adult=t.money("adult"))
    t.done()
    return rule


def _bonus(t: _Table) -> ContributionBonus:
    bonus = ContributionBonus(
        step_years=t.integer("step_years", minimum=1),
        per_step=t.ratio("per_step"),
        max_bonus=t.ratio("max"),
    )
    t.done()
    return bonus


def _waiting(t: _Table) -> WaitingPeriod:
    after = t.raw("enrolled_after")
    try:
        # A leap year, so "02-29" is accepted as a month-day.
        month_day = date.fromisoformat(f"2000-{after}") if isinstance(after, str) else None
    except ValueError:
        month_day = None
    if month_day is None:
        raise PolicyInvalid(t.path("enrolled_after"), "must be a month-day such as 03-31")
    exempt = t.raw("newborns_exempt")
    if not isinstance(exempt, bool):
        raise PolicyInvalid(t.path("newborns_exempt"), "must be true or false")
    rule = WaitingPeriod(
        enrolled_after=(month_day.month, month_day.day),
        months=t.integer("months"),
        newborns_exempt=exempt,
    )
    t.done()
    return rule


def _multiples(t: _Table, key: str) -> MultipleRange:
    low, high = (_multiple(value, f"{t.path(key)}[{i}]") for i, value in enumerate(t.pair(key)))
    if not 0 < low <= high:
        raise PolicyInvalid(t.path(key), "must be 0 < low ≤ high")
    return MultipleRange(low=low, high=high)


def _multiple(value: Any, path: str) -> Decimal:
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return _parsed(ratio, value, path)


def _clawback(t: _Table) -> ClawbackRules:
    rules = ClawbackRules(violation=_multiples(t, "violation"), fraud=_multiples(t, "fraud"))
    t.done()
    return rules


def _agreement(t: _Table) -> AgreementRules:
    rules = AgreementRules(
        renewal_notice_months=t.integer("renewal_notice_months"),
        voluntary_suspension_max_days=t.integer("voluntary_suspension_max_days", minimum=1),
        suspensions_flag_threshold=t.integer("suspensions_flag_threshold", minimum=1),
    )
    t.done()
    return rules


def _person(t: _Table) -> PersonRules:
    low, high = t.pair("fraud_suspension_months")
    for i, value in enumerate((low, high)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise PolicyInvalid(f"{t.path('fraud_suspension_months')}[{i}]", "must be ≥ 1")
    if low > high:
        raise PolicyInvalid(t.path("fraud_suspension_months"), "must be low ≤ high")
    t.done()
    return PersonRules(fraud_suspension_min_months=low, fraud_suspension_max_months=high)


def _budget(t: _Table) -> BudgetRules:
    raw = t.raw("warning_thresholds")
    if not isinstance(raw, list | tuple) or not raw:
        raise PolicyInvalid(t.path("warning_thresholds"), "must be a non-empty list")
    thresholds = tuple(
        _parsed(ratio, value, f"{t.path('warning_thresholds')}[{i}]") for i, value in enumerate(raw)
    )
    if list(thresholds) != sorted(set(thresholds)) or thresholds[0] <= 0:
        raise PolicyInvalid(t.path("warning_thresholds"), "must be positive and ascending")
    rules = BudgetRules(
        prepayment_ratio=t.ratio("prepayment_ratio"),
        warning_thresholds=thresholds,
        surplus_incentive_share=t.ratio("surplus_incentive_share"),
        surplus_incentive_cap=t.ratio("surplus_incentive_cap"),
        overrun_band=t.ratio("overrun_band"),
        overrun_fund_share=t.ratio("overrun_fund_share"),
    )
    t.done()
    return rules
