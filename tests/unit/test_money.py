"""Splitting money: exact to the fen, never negative, never above a share's weight."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.money import ZERO, allocate

fen_amounts = st.integers(min_value=1, max_value=10_000_000).map(lambda n: Decimal(n) / 100)


def test_a_tiny_amount_split_over_three_uneven_debts_does_not_create_money() -> None:
    parts = allocate(Decimal("0.07"), [Decimal("200.00"), Decimal("200.01"), Decimal("0.01")])
    assert sum(parts) == Decimal("0.07")
    assert min(parts) >= ZERO


@settings(max_examples=200, deadline=None)
@given(weights=st.lists(fen_amounts, min_size=1, max_size=6), data=st.data())
def test_allocation_sums_exactly_and_respects_every_weight(
    weights: list[Decimal], data: st.DataObject
) -> None:
    total = sum(weights, ZERO)
    amount = data.draw(st.integers(min_value=1, max_value=int(total * 100))) / Decimal(100)
    parts = allocate(amount, weights)
    assert sum(parts, ZERO) == amount
    assert all(ZERO <= p <= w for p, w in zip(parts, weights, strict=True))
