"""Properties of a person's year over any sequence of claims and reversals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from application.personal_data import InMemoryKeyStore
from application.policy_files import load_policy_book
from application.region import Region
from tests.conftest import Clock
from tests.support import agency, claim, enroll, institution, sign

amounts = st.integers(min_value=1, max_value=6_000_000).map(lambda n: f"{Decimal(n) / 100:.2f}")
steps = st.lists(
    st.one_of(
        st.tuples(st.just("settle"), amounts, st.sampled_from(["outpatient", "inpatient"])),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50), st.just("")),
    ),
    min_size=1,
    max_size=12,
)


def fresh_region() -> Region:
    from datetime import UTC, datetime

    return Region(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"},
        keys=InMemoryKeyStore(),
        policies=load_policy_book(),
        id_secret=b"p",
        region_code="310000",
        clock=Clock(datetime(2026, 3, 2, 2, tzinfo=UTC)),
    )


@settings(max_examples=60, deadline=None)
@given(steps=steps, scheme=st.sampled_from(["resident", "employee"]))
def test_accumulators_only_fall_by_reversal_stay_under_the_cap_and_return_to_zero(
    steps: list[tuple[str, object, str]], scheme: str
) -> None:
    region = fresh_region()
    sign(region)
    person = enroll(region, date(1961, 1, 5), scheme=scheme)
    if scheme == "employee":
        region.credit_account(agency(), person, amount=Decimal("500.00"), period="2026-01")
    settled: list[object] = []
    before = region.person(person, 2026)
    for n, (kind, value, visit_type) in enumerate(steps):
        if kind == "settle":
            record = region.settle(
                institution(), claim(person, str(value), request_id=f"R{n}", visit_type=visit_type)
            )
            settled.append(record.settlement_id)
        elif settled:
            region.reverse_settlement(
                institution(), settled.pop(int(str(value)) % len(settled)), reason="撤销"
            )
        after = region.person(person, 2026)
        fields = ("outpatient_deductible_used", "fund_paid_basic", "fund_paid_major")
        if kind == "settle":
            assert all(getattr(after, f) >= getattr(before, f) for f in fields)
        assert after.fund_paid_basic + after.fund_paid_major <= Decimal("100000.00")
        assert after.outpatient_deductible_used <= Decimal("1000.00")
        assert after.account_balance >= Decimal("0.00")
        before = after
    for sid in settled:
        region.reverse_settlement(institution(), sid, reason="撤销")  # type: ignore[arg-type]
    final = region.person(person, 2026)
    assert (final.outpatient_deductible_used, final.fund_paid_basic, final.fund_paid_major) == (
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert final.account_balance == (Decimal("500.00") if scheme == "employee" else Decimal("0.00"))
    region.close()
