"""The status an aggregate reports equals the status its view row shows, for random histories
of suspensions, reinstatements, renewals and terminations, on every day asked (both derive it
with the one rule in `domain/standing.py`)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.agreement import TERMINATION_GROUNDS
from domain.errors import DomainError
from interfaces.bootstrap import Container, build_runner
from tests.conftest import Clock
from tests.support import agency, enroll

START = date(2026, 1, 1)
_codes = itertools.count(1)
days = st.integers(min_value=-60, max_value=800)
lengths = st.one_of(st.none(), st.integers(min_value=1, max_value=400))
steps = st.lists(
    st.tuples(
        st.sampled_from(["suspend", "voluntary", "reinstate", "terminate", "renew"]),
        days,
        lengths,
        st.sampled_from(TERMINATION_GROUNDS),
    ),
    max_size=8,
)
probes = st.lists(days, min_size=1, max_size=6)
slow = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def on(offset: int) -> date:
    return START + timedelta(days=offset)


def ask_on(clock: Clock, offset: int) -> None:
    clock.now = datetime.combine(on(offset), datetime.min.time(), tzinfo=UTC) + timedelta(hours=4)


def person_step(container: Container, person: UUID, step: tuple[str, int, int | None, str]) -> None:
    kind, offset, length, _ = step
    region, ctx, day = container.region, agency(), on(offset)
    until = day + timedelta(days=length) if length else None
    if kind in ("suspend", "voluntary"):
        region.suspend_person(ctx, person, reason="r", effective_from=day, effective_until=until)
    elif kind == "reinstate":
        region.reinstate_person(ctx, person, reason="r", effective_from=day)
    elif kind == "terminate":
        region.terminate_person(ctx, person, reason="r", effective_from=day)


def agreement_step(
    container: Container, agreement: UUID, step: tuple[str, int, int | None, str]
) -> None:
    kind, offset, length, ground = step
    region, ctx, day = container.region, agency(), on(offset)
    until = day + timedelta(days=length) if length else None
    if kind in ("suspend", "voluntary"):
        region.suspend_agreement(
            ctx,
            agreement,
            reason="r",
            effective_from=day,
            effective_until=until,
            voluntary=kind == "voluntary",
        )
    elif kind == "reinstate":
        region.reinstate_agreement(ctx, agreement, reason="r", effective_from=day)
    elif kind == "terminate":
        region.terminate_agreement(ctx, agreement, ground=ground, reason="r", effective_from=day)
    else:
        region.renew_agreement(
            ctx,
            agreement,
            term_start=date(2027, 1, 1),
            term_end=date(2027, 12, 31),
            annual_budget=Decimal("500000.00"),
        )


def attempt(step: Callable[..., None], *args: object) -> None:
    # A refused command leaves the history as it was, as it would at the agency.
    with suppress(DomainError):
        step(*args)


@slow
@given(history=steps, asked=probes)
def test_a_persons_view_shows_the_status_the_person_reports(
    container: Container,
    clock: Clock,
    history: list[tuple[str, int, int | None, str]],
    asked: list[int],
) -> None:
    person = enroll(container.region, enrolled_on=on(0) + timedelta(days=next(_codes) % 30))
    for step in history:
        attempt(person_step, container, person, step)
    build_runner(container, ["persons"]).catch_up()
    aggregate = container.region.repository.get(person)
    for offset in asked:
        ask_on(clock, offset)
        shown = container.views.person(person, on(offset).year)
        assert shown is not None
        assert shown.status == aggregate.status_on(on(offset)), on(offset)


@slow
@given(history=steps, asked=probes)
def test_an_agreements_view_shows_the_status_the_agreement_reports(
    container: Container,
    clock: Clock,
    history: list[tuple[str, int, int | None, str]],
    asked: list[int],
) -> None:
    agreement = container.region.sign_agreement(
        agency(),
        institution_code=f"H3101019{next(_codes):04d}",
        institution_name="测试医院",
        level=2,
        ownership="private",
        term_start=START,
        term_end=date(2026, 12, 31),
        annual_budget=Decimal("1200000.00"),
    ).agreement_id
    for step in history:
        attempt(agreement_step, container, agreement, step)
    build_runner(container, ["agreements"]).catch_up()
    aggregate = container.region.repository.get(agreement)
    for offset in asked:
        ask_on(clock, offset)
        shown = container.views.agreement(agreement)
        assert shown is not None
        assert shown.status == aggregate.status_on(on(offset)), on(offset)
