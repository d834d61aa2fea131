"""Live, the runner applies the last few events to its projections in groups, quickest first,
so that a reader of a quick view does not wait for a slow one (`runtime.live_groups`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from projections.runtime import live_groups, one_alone_first
from projections.tracking import Generation


def targets(*names: str) -> list[Generation]:
    return [Generation(name, 1, 0) for name in names]


def names(groups: list[list[Generation]]) -> list[list[str]]:
    return [[g.projection for g in group] for group in groups]


def test_the_quick_projections_share_a_transaction_before_the_slow_ones_go_alone() -> None:
    costs = {"tokens": 0.002, "settlements": 0.004, "audit": 0.003, "catalogue": 0.009}
    costs |= {"balances": 0.008}

    groups = live_groups(targets(*costs), costs)

    assert names(groups) == [["tokens", "audit", "settlements"], ["balances"], ["catalogue"]]


def test_a_projection_whose_cost_is_not_known_yet_goes_alone_to_be_measured() -> None:
    groups = live_groups(targets("new", "tokens", "budgets"), {"tokens": 0.002, "budgets": 0.002})

    assert names(groups) == [["new"], ["tokens", "budgets"]]


@given(st.dictionaries(st.text(min_size=1, max_size=8), st.floats(0, 1), max_size=12))
def test_every_projection_is_applied_once_in_the_order_of_its_cost(costs: dict[str, float]) -> None:
    groups = names(live_groups(targets(*costs), costs))

    flat = [name for group in groups for name in group]
    assert sorted(flat) == sorted(costs)
    assert [costs[n] for n in flat] == sorted(costs[n] for n in flat)
    assert all(groups)


def test_now_and_then_one_projection_of_a_group_goes_alone_first_each_in_its_turn() -> None:
    groups = [targets("tokens", "settlements"), targets("catalogue")]

    turns = [names(one_alone_first(groups, turn)) for turn in range(3)]

    assert turns == [
        [["tokens"], ["settlements"], ["catalogue"]],
        [["settlements"], ["tokens"], ["catalogue"]],
        [["tokens"], ["settlements"], ["catalogue"]],
    ]
    assert one_alone_first([targets("a"), targets("b")], 1) == [targets("a"), targets("b")]
