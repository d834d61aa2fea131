"""Policies live in versioned TOML files; a broken file names the key at fault."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from application.policy_files import POLICY_DIRECTORY, load_policy_book, load_policy_file
from domain.policy import (
    NoPolicyInForce,
    PolicyBook,
    PolicyInvalid,
    UnknownPolicyVersion,
)
from domain.policy_reading import read_policy

DEMO_FILE = POLICY_DIRECTORY / "demo-2026.toml"


def demo_data() -> dict[str, Any]:
    with DEMO_FILE.open("rb") as file:
        return tomllib.load(file)


def refusal(data: dict[str, Any]) -> PolicyInvalid:
    with pytest.raises(PolicyInvalid) as refused:
        read_policy(data)
    return refused.value


def test_the_demo_policy_file_loads_with_the_figures_of_the_rulebook() -> None:
    policy = load_policy_file(DEMO_FILE)

    assert (policy.version, policy.effective_from) == ("demo-2026", date(2020, 1, 1))
    assert policy.resident.outpatient_deductible.senior == Decimal("300.00")
    assert policy.resident.outpatient_ratio.at(1) == Decimal("0.65")
    assert policy.employee.inpatient_ratio.at(3) == Decimal("0.80")
    assert policy.resident.inpatient_deductible.at(3) == Decimal("700.00")
    assert policy.resident.severely_disabled_outpatient_deductible == Decimal("0.00")
    assert policy.employee.severely_disabled_outpatient_deductible is None
    assert policy.employee.inpatient_bonus is None
    assert policy.employee.waiting_period is None
    assert policy.clawback.range_for("fraud").contains(Decimal(5))
    assert not policy.clawback.range_for("violation").contains(Decimal("2.01"))
    assert policy.budget.warning_thresholds == (Decimal("0.80"), Decimal("0.90"), Decimal("1.00"))


def test_the_contribution_bonus_grows_by_steps_and_stops_at_its_cap() -> None:
    bonus = load_policy_file(DEMO_FILE).resident.inpatient_bonus

    assert bonus is not None
    assert [bonus.for_years(years) for years in (4, 5, 14, 15, 30)] == [
        Decimal("0.00"),
        Decimal("0.03"),
        Decimal("0.06"),
        Decimal("0.09"),
        Decimal("0.09"),
    ]


def test_a_missing_key_is_named_by_its_path() -> None:
    data = demo_data()
    del data["resident"]["inpatient_ratio"]["2"]

    assert refusal(data).path == "resident.inpatient_ratio.2"


def test_an_unknown_key_is_named_by_its_path() -> None:
    data = demo_data()
    data["employee"]["outpatient_ratio"]["4"] = "0.50"

    assert refusal(data).path == "employee.outpatient_ratio.4"


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [
        ("resident", "b_first_self_pay_ratio", "1.10"),
        ("resident", "b_first_self_pay_ratio", 0.1),
        ("employee", "annual_cap", "100000.001"),
        ("employee", "annual_cap", "-1.00"),
        ("budget", "prepayment_ratio", "ninety"),
    ],
)
def test_a_bad_ratio_or_amount_is_named_by_its_path(section: str, key: str, value: Any) -> None:
    data = demo_data()
    data[section][key] = value

    assert refusal(data).path == f"{section}.{key}"


def test_a_basic_limit_above_the_cap_and_inverted_multiples_are_refused() -> None:
    above = demo_data()
    above["resident"]["basic_limit"] = "200000.00"
    inverted = demo_data()
    inverted["clawback"]["fraud"] = [5, 2]

    assert refusal(above).path == "resident.basic_limit"
    assert refusal(inverted).path == "clawback.fraud"


def test_a_broken_file_names_the_key_path_and_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        DEMO_FILE.read_text("utf-8").replace("senior_from = 60", 'senior_from = "60"')
    )

    with pytest.raises(PolicyInvalid) as refused:
        load_policy_file(broken)

    assert refused.value.path == "ages.senior_from"
    assert any("broken.toml" in note for note in refused.value.__notes__)


def test_a_file_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("version = ")

    with pytest.raises(PolicyInvalid):
        load_policy_file(broken)


def test_the_book_picks_the_latest_policy_in_force_on_the_service_date() -> None:
    demo = load_policy_file(DEMO_FILE)
    later = replace(demo, version="demo-2027", effective_from=date(2027, 1, 1))
    book = PolicyBook([later, demo])

    assert book.for_service_date(date(2026, 12, 31)).version == "demo-2026"
    assert book.for_service_date(date(2027, 1, 1)).version == "demo-2027"
    assert book.version("demo-2027") is later
    with pytest.raises(NoPolicyInForce):
        book.for_service_date(date(2019, 12, 31))
    with pytest.raises(UnknownPolicyVersion):
        book.version("demo-1999")


def test_the_shipped_book_holds_demo_2026_from_2020() -> None:
    book = load_policy_book()

    assert book.for_service_date(date(2020, 1, 1)).version == "demo-2026"


def test_a_book_directory_loads_every_policy_file(tmp_path: Path) -> None:
    (tmp_path / "demo-2026.toml").write_bytes(DEMO_FILE.read_bytes())
    text = DEMO_FILE.read_text("utf-8")
    (tmp_path / "demo-2027.toml").write_text(
        text.replace('"demo-2026"', '"demo-2027"').replace("2020-01-01", "2027-01-01")
    )

    book = load_policy_book(tmp_path)

    assert [policy.version for policy in book] == ["demo-2026", "demo-2027"]


def test_two_policies_with_the_same_version_are_refused() -> None:
    demo = load_policy_file(DEMO_FILE)

    with pytest.raises(PolicyInvalid):
        PolicyBook([demo, replace(demo, effective_from=date(2030, 1, 1))])
