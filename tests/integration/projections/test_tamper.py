"""Changing one stored event's bytes behind the application's back breaks the chain there:
`verify` names that position, from the event store itself — and a rebuild cannot erase the
trail that proves it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from interfaces.bootstrap import Container
from interfaces.cli import app
from projections.rebuild import EvidenceDiffers, rebuild
from projections.store import events_table
from projections.tracking import registered
from tests.conftest import Clock
from tests.contract.scenario import History, projected_history, runner_for
from tests.integration.projections.test_projection_commands import env_of
from tests.support import agency


def tamper(container: Container, position: int) -> None:
    table, column = events_table(container.engine.dialect.name)
    with container.engine.begin() as connection:
        state = connection.execute(
            text(f"SELECT state FROM {table} WHERE {column} = :p"), {"p": position}
        ).scalar_one()
        forged = bytes(state).replace(b'"1300.00"', b'"13.00"')
        assert forged != bytes(state)
        connection.execute(
            text(f"UPDATE {table} SET state = :s WHERE {column} = :p"), {"s": forged, "p": position}
        )


def settled_position(container: Container, history: History) -> int:
    (settled,), _ = container.views.audit_events(aggregate_id=history.first_claim, limit=1)
    return int(settled.position)


def test_a_changed_event_is_named_by_verify(container: Container, clock: Clock) -> None:
    history = projected_history(container, clock)
    views, region = container.views, container.region
    before = views.verify_chain(None, None)
    position = settled_position(container, history)

    tamper(container, position)

    after = views.verify_chain(None, None)
    assert (after.ok, after.first_mismatch_position) == (False, position)
    assert after.checked == position
    assert before.ok and before.checked == region.head()
    untouched = views.verify_chain(1, position - 1)
    assert untouched.ok and untouched.checked == position - 1
    resumed = views.verify_chain(position + 1, None)
    assert resumed.ok  # the links after it still chain from the trail's own hashes


def test_audit_verify_command_exits_non_zero_and_prints_the_position(
    container: Container, clock: Clock
) -> None:
    history = projected_history(container, clock)
    env = {
        "YIBAO_DATABASE_URL": container.settings.resolved_database_url(),
        "YIBAO_ID_SECRET": container.settings.id_secret.get_secret_value(),
    }
    cli = CliRunner()
    clean = cli.invoke(app, ["audit", "verify"], env=env)
    assert clean.exit_code == 0, clean.output
    assert f"checked: {container.region.head()}" in clean.output

    position = settled_position(container, history)
    tamper(container, position)

    broken = cli.invoke(app, ["audit", "verify"], env=env)
    assert broken.exit_code == 1
    assert f"first mismatching position: {position}" in broken.output
    assert "ok: NO" in broken.output


def test_a_trail_that_lags_is_not_a_mismatch_and_its_lag_is_reported(
    container: Container, clock: Clock
) -> None:
    history = projected_history(container, clock)
    views, region = container.views, container.region
    trail_end = region.head()
    region.receive_contribution(
        agency(), history.resident_basic, amount=Decimal("1.00"), period="2026-04", source="subsidy"
    )
    region.receive_contribution(
        agency(), history.resident_basic, amount=Decimal("2.00"), period="2026-04", source="subsidy"
    )
    (last,), _ = views.audit_events(after=trail_end - 1, limit=1)
    behind = views.verify_chain(None, None)
    assert (behind.ok, behind.first_mismatch_position) == (True, None)
    assert (behind.checked, behind.trail_lag) == (trail_end, 2)
    assert behind.head_hash == last.hash
    up_to_the_trail = views.verify_chain(None, trail_end)
    assert up_to_the_trail.ok and up_to_the_trail.checked == trail_end
    assert (up_to_the_trail.head_hash, up_to_the_trail.trail_lag) == (last.hash, 0)
    only_lag = views.verify_chain(trail_end + 1, None)
    assert (only_lag.checked, only_lag.head_hash, only_lag.ok) == (0, None, True)
    assert only_lag.trail_lag == 2
    for first, last_position in ((region.head() + 1, None), (5, 4)):
        nothing = views.verify_chain(first, last_position)
        assert (nothing.checked, nothing.head_hash, nothing.ok) == (0, None, True)
        assert nothing.trail_lag == 0
    runner_for(container).catch_up()
    caught_up = views.verify_chain(None, None)
    assert (caught_up.ok, caught_up.checked, caught_up.trail_lag) == (
        True,
        region.head(),
        0,
    )


def test_a_lagging_trail_still_names_a_changed_event_it_has_passed(
    container: Container, clock: Clock
) -> None:
    history = projected_history(container, clock)
    position = settled_position(container, history)
    region = container.region
    region.receive_contribution(
        agency(), history.resident_basic, amount=Decimal("1.00"), period="2026-04", source="subsidy"
    )
    tamper(container, position)
    after = container.views.verify_chain(None, None)
    assert (after.ok, after.first_mismatch_position, after.trail_lag) == (
        False,
        position,
        1,
    )


def test_audit_verify_command_reports_a_lagging_trail_as_ok(
    container: Container, clock: Clock
) -> None:
    history = projected_history(container, clock)
    container.region.receive_contribution(
        agency(), history.resident_basic, amount=Decimal("1.00"), period="2026-04", source="subsidy"
    )
    result = CliRunner().invoke(app, ["audit", "verify"], env=env_of(container))
    assert result.exit_code == 0, result.output
    assert "ok: yes" in result.output and "trail lag: 1" in result.output


def test_a_rebuild_after_tampering_is_refused_and_the_evidence_stays(
    container: Container, clock: Clock
) -> None:
    history = projected_history(container, clock)
    views = container.views
    position = settled_position(container, history)
    tamper(container, position)
    runner = runner_for(container)

    for name in ("audit_trail", "archive_catalogue"):
        with pytest.raises(EvidenceDiffers) as refused:
            rebuild(runner, name)
        assert refused.value.position == position
        with container.engine.connect() as connection:
            entry = registered(connection)[name]
        assert (entry.live.generation, entry.building) == (1, None)

    after = views.verify_chain(None, None)
    assert (after.ok, after.first_mismatch_position) == (False, position)
    cli = CliRunner().invoke(app, ["projections", "rebuild", "audit_trail"], env=env_of(container))
    assert cli.exit_code == 1 and f"at position {position}" in cli.output
    rebuild(runner, "reconciliation")  # a view without evidence rebuilds as before
