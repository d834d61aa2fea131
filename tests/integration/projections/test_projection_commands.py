"""`yibao projections status | rebuild | run` as an operator uses them."""

from __future__ import annotations

from sqlalchemy import text
from typer.testing import CliRunner

from interfaces.bootstrap import Container
from interfaces.cli import app
from projections.tracking import registered
from tests.conftest import Clock
from tests.contract.scenario import projected_history, record_history, snapshot


def env_of(container: Container) -> dict[str, str]:
    return {
        "YIBAO_DATABASE_URL": container.settings.resolved_database_url(),
        "YIBAO_ID_SECRET": container.settings.id_secret.get_secret_value(),
    }


def test_status_shows_each_projections_position_and_lag(container: Container, clock: Clock) -> None:
    record_history(container.region, clock)
    head = container.region.head()
    result = CliRunner().invoke(app, ["projections", "status"], env=env_of(container))
    assert result.exit_code == 0, result.output
    assert f"log head {head}" in result.output
    assert "audit_trail" in result.output and str(head) in result.output  # lag = head, never run


def test_rebuild_switches_to_a_new_generation_with_the_same_rows(
    container: Container, clock: Clock
) -> None:
    projected_history(container, clock)
    before = snapshot(container.engine, "reconciliation")
    result = CliRunner().invoke(
        app, ["projections", "rebuild", "reconciliation"], env=env_of(container)
    )
    assert result.exit_code == 0, result.output
    assert "reconciliation v2 is live" in result.output
    with container.engine.connect() as connection:
        entry = registered(connection)["reconciliation"]
    assert (entry.live.generation, entry.live.position, entry.building) == (
        2,
        container.region.head(),
        None,
    )
    assert snapshot(container.engine, "reconciliation") == before


def test_status_asks_for_a_rebuild_when_a_views_tables_differ_from_the_code(
    container: Container,
) -> None:
    with container.engine.begin() as connection:
        connection.execute(text("ALTER TABLE settlements_v1_settlements ADD COLUMN legacy TEXT"))
    cli, env = CliRunner(), env_of(container)
    assert "needed" in cli.invoke(app, ["projections", "status"], env=env).output
    assert cli.invoke(app, ["projections", "rebuild", "settlements"], env=env).exit_code == 0
    assert "needed" not in cli.invoke(app, ["projections", "status"], env=env).output


def test_run_needs_a_projection_name_or_all(container: Container) -> None:
    result = CliRunner().invoke(app, ["projections", "run"], env=env_of(container))
    assert result.exit_code == 2
    unknown = CliRunner().invoke(app, ["projections", "run", "ledger"], env=env_of(container))
    assert unknown.exit_code == 2
