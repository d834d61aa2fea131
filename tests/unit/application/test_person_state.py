"""A person keeps what its decisions need, not every claim: the state (and its snapshots) stays
the same size however many claims are settled; claims stored before that rule still reverse."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from application.region import Region
from domain.person import ClaimEntry, InsuredPerson
from tests.support import claim, enroll, institution, sign


def _settle(region: Region, person: object, n: int, day: date, visit_type: str) -> None:
    request = claim(person, "900.00", request_id=f"R{n}", day=day, visit_type=visit_type)  # type: ignore[arg-type]
    region.settle(institution(request_id=request.request_id), request)


def test_many_claims_leave_no_trace_per_claim_on_the_person(memory_region: Region) -> None:
    sign(memory_region)
    person_id = enroll(memory_region)
    for n in range(40):
        _settle(memory_region, person_id, n, date(2026, 1 + n % 12, 5), "outpatient")
    person = memory_region.repository.get(person_id)
    assert isinstance(person, InsuredPerson)
    assert person.version == 41
    assert person.legacy_claims == {}
    assert person.admission_deductibles == {}
    assert set(vars(person)) >= {"years", "account_balance"}
    assert "claims" not in vars(person)


def test_admissions_older_than_the_previous_service_year_are_let_go() -> None:
    person = InsuredPerson.__new__(InsuredPerson)
    person.years, person.account_balance = {}, Decimal(0)
    person.admission_deductibles, person.admission_years, person.legacy_claims = {}, {}, {}
    for year, visit in ((2024, "V-A"), (2025, "V-B"), (2026, "V-C")):
        entry = ClaimEntry(
            year, Decimal(0), Decimal(10), Decimal(0), Decimal(0), False, visit, Decimal(5)
        )
        person._take(entry)
    assert person.admission_deductibles == {"|V-B": Decimal(5), "|V-C": Decimal(5)}
    assert person.years["2024"].fund_paid_basic == Decimal(10)  # the year totals stay


def test_a_first_release_snapshot_keeps_what_may_still_be_reversed() -> None:
    open_claim = ClaimEntry(
        2026, Decimal(0), Decimal(100), Decimal(0), Decimal(0), False, "V-1", Decimal(300)
    )
    reversed_claim = ClaimEntry(
        2026, Decimal(0), Decimal(50), Decimal(0), Decimal(0), True, "V-1", Decimal(300)
    )
    state = {"claims": {"a" * 32: open_claim, "b" * 32: reversed_claim}}
    InsuredPerson.upcast_v1_v2(state)
    assert state["legacy_claims"] == {"a" * 32: open_claim}
    assert state["admission_deductibles"] == {"|V-1": Decimal(300)}
    assert state["admission_years"] == {"|V-1": 2026}
    assert "claims" not in state
