"""The budget a view shows is the budget its aggregate reports, for random histories of
adjustments, prepayments, proposals, confirmations, corrections and recoveries (refused
commands included): figures, prepayments, the clearing's state and amounts, what is owed
back. The view followed the log live, a few events a batch; a rebuild from position 0 gives
the same rows. Both backends."""

from __future__ import annotations

import itertools
from contextlib import suppress
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.budget import Budget
from domain.errors import DomainError
from domain.fund import fund_id
from domain.token import ApiToken
from interfaces.bootstrap import Container, build_runner
from interfaces.cli_service import current_tokens
from tests.conftest import Clock
from tests.contract.scenario import rebuilt_snapshot, snapshot
from tests.support import agency

_codes = itertools.count(1)
FUND = fund_id("resident", "basic", "310000")
cents = st.integers(min_value=0, max_value=150_000_000).map(lambda c: Decimal(c).scaleb(-2))
small = st.integers(min_value=1, max_value=40_000_000).map(lambda c: Decimal(c).scaleb(-2))
during_the_year = st.one_of(
    st.tuples(st.just("adjust"), cents),
    st.tuples(st.just("prepay"), st.integers(1, 12), st.integers(1, 12)),
)
after_the_year = st.one_of(
    during_the_year,
    st.tuples(st.just("propose"), cents),
    st.tuples(st.just("confirm"), st.just(0)),
    st.tuples(st.just("correct"), cents),
    st.tuples(st.just("recover"), small, st.sampled_from(["offset", "payment"])),
)
# A year of adjustments and prepayments, then the clearing and what follows it (commands
# out of order too: those refused change nothing).
steps = st.builds(
    lambda before, after: [*before, ("close_year", 0), *after],
    st.lists(during_the_year, max_size=4),
    st.lists(after_the_year, max_size=10),
)
slow = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def budget_for(container: Container, clock: Clock) -> UUID:
    region = container.region
    clock.now = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    with suppress(DomainError):
        region.open_fund(
            agency(), scheme="resident", layer="basic", region_code="310000", name="resident"
        )
    region.receive_contribution(
        agency(), FUND, amount=Decimal("50000000.00"), period="2026-01", source="subsidy"
    )
    agreement = region.sign_agreement(
        agency(),
        institution_code=f"H3101029{next(_codes):04d}",
        institution_name="测试医院",
        level=2,
        ownership="public",
        term_start=date(2026, 1, 1),
        term_end=date(2026, 12, 31),
        annual_budget=Decimal("1500000.00"),
    ).agreement_id
    issued = region.issue_budget(
        agency(),
        agreement_id=agreement,
        year=2026,
        scheme="resident",
        amount=Decimal("1200000.00"),
        basis="年度预算",
    )
    return issued.budget_id


def apply(container: Container, clock: Clock, budget: UUID, step: tuple[Any, ...]) -> None:
    region, ctx = container.region, agency()
    kind, value = step[0], step[1]
    if kind == "adjust":
        region.adjust_budget(ctx, budget, amount=value, reason="调整")
    elif kind == "prepay":  # `step[2]` months from month `value`, those not yet prepaid
        for month in range(value, min(value + step[2], 13)):
            with suppress(DomainError):
                region.prepay(ctx, budget, month=f"2026-{month:02d}")
    elif kind == "close_year":
        clock.now = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)
    elif kind == "propose":
        region.propose_clearing(ctx, budget, actual=value, as_of_position=region.head())
    elif kind == "confirm":
        region.confirm_clearing(ctx, budget, reason="确认")
    elif kind == "correct":
        region.correct_clearing(ctx, budget, fund_pays=value, reason="更正")
    else:
        region.record_clearing_recovery(ctx, budget, amount=value, method=step[2])


def expected_clearing(b: Budget) -> dict[str, Any]:
    """The clearing as the aggregate reports it."""
    if b.proposal is None or b.fund_pays is None:
        return {"state": "none"}
    c = b.proposal
    return {
        "state": "confirmed" if b.confirmed else "proposed",
        "budget": c.budget,
        "actual": c.actual,
        "prepaid": c.prepaid,
        "rule": c.rule,
        "surplus_incentive": c.surplus_incentive,
        "fund_pays": b.fund_pays,
        "institution_bears": c.institution_bears,
        "clearing_amount": b.fund_pays - c.prepaid,
        "as_of_position": b.proposed_as_of,
        "corrections": list(zip([c.fund_pays, *b.corrections], b.corrections, strict=False)),
        "owed_back": b.owed_back,
        "recovered": b.recovered,
        "outstanding": b.outstanding,
    }


def shown_clearing(c: Any) -> dict[str, Any]:
    if c.state == "none":
        return {"state": "none"}
    return {
        "state": c.state,
        "budget": c.budget,
        "actual": c.actual,
        "prepaid": c.prepaid,
        "rule": c.rule,
        "surplus_incentive": c.surplus_incentive,
        "fund_pays": c.fund_pays,
        "institution_bears": c.institution_bears,
        "clearing_amount": c.clearing_amount,
        "as_of_position": c.as_of_position,
        "corrections": [(x.corrects, x.fund_pays) for x in c.corrections],
        "owed_back": c.owed_back,
        "recovered": c.recovered,
        "outstanding": c.outstanding,
    }


@slow
@given(history=steps)
def test_a_budgets_view_shows_what_the_budget_reports_and_equals_a_rebuild(
    container: Container, clock: Clock, history: list[tuple[Any, ...]]
) -> None:
    live = build_runner(container, ["budgets", "balances"], batch_size=3)
    budget = budget_for(container, clock)
    live.catch_up()
    for step in history:
        with suppress(DomainError):  # a refused command leaves the history as it was
            apply(container, clock, budget, step)
        live.catch_up()

    shown = container.views.budget(budget)
    b: Budget = container.region.repository.get(budget)
    figures = [
        type(e).__name__.lower()
        for e in container.region.repository.event_store.get(budget)
        if type(e).__name__ in ("Issued", "Adjusted")
    ]
    assert shown is not None
    assert (shown.amount, shown.prepaid) == (b.amount, b.prepaid)
    assert [(m.month, m.amount) for m in shown.prepayments] == sorted(b.prepayments.items())
    assert [f.kind for f in shown.history] == figures
    assert shown.history[-1].amount == b.amount
    assert shown_clearing(shown.clearing) == expected_clearing(b)
    assert rebuilt_snapshot(container, "budgets") == snapshot(container.engine, "budgets")


def test_the_tokens_view_lists_every_token_as_its_aggregate_reports_it(
    container: Container,
) -> None:
    region, operator = container.region, agency()
    issued = [
        region.issue_token(operator, role="agency", name="运维"),
        region.issue_token(operator, role="institution", institution_code="H31010100001"),
        region.issue_token(operator, role="auditor", name="稽核"),
    ]
    region.revoke_token(operator, issued[1].token_id)

    listed = current_tokens(container)

    tokens: list[ApiToken] = [region.repository.get(t.token_id) for t in issued]
    assert [
        (t.token_id, t.role, t.institution_code, t.name, t.issued_at, t.revoked) for t in listed
    ] == [(t.id, t.role, t.institution_code, t.name, t.created_on, t.revoked) for t in tokens]
    assert [t.revoked for t in listed] == [False, True, False]
