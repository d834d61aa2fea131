"""Changing one stored event's bytes behind the application's back breaks the chain there:
`verify` names that position, from the event store itself."""

from __future__ import annotations

from sqlalchemy import text
from typer.testing import CliRunner

from interfaces.bootstrap import Container
from interfaces.cli import app
from projections.store import events_table
from tests.conftest import Clock
from tests.contract.scenario import History, projected_history


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
    return int(settled["position"])


def test_a_changed_event_is_named_by_verify(container: Container, clock: Clock) -> None:
    history = projected_history(container, clock)
    views, region = container.views, container.region
    before = views.verify_chain(region, None, None)
    position = settled_position(container, history)

    tamper(container, position)

    after = views.verify_chain(region, None, None)
    assert (after["ok"], after["first_mismatch_position"]) == (False, position)
    assert after["checked"] == position
    assert before["ok"] and before["checked"] == region.head()
    untouched = views.verify_chain(region, 1, position - 1)
    assert untouched["ok"] and untouched["checked"] == position - 1
    resumed = views.verify_chain(region, position + 1, None)
    assert resumed["ok"]  # the links after it still chain from the trail's own hashes


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
