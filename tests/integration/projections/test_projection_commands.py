"""`yibao projections status | rebuild | run` as an operator uses them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from interfaces import cli_projections
from interfaces.bootstrap import Container, event_log
from interfaces.cli import app
from projections.catalog import NAMES, build_projections
from projections.runtime import Runner
from projections.tracking import registered
from tests.conftest import Clock
from tests.contract.scenario import projected_history, record_history, snapshot
from tests.support import agency

COLUMNS = ("projection", "generation", "position", "lag", "progress", "rebuild", "error")


def env_of(container: Container) -> dict[str, str]:
    return {
        "YIBAO_DATABASE_URL": container.settings.resolved_database_url(),
        "YIBAO_ID_SECRET": container.settings.id_secret.get_secret_value(),
    }


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """One line per projection in the status table, whatever the terminal."""
    monkeypatch.setattr(cli_projections.console, "width", 240)


def status_rows(output: str) -> dict[str, list[str]]:
    """The status table's cells by projection (the first line of each row)."""
    rows = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if len(cells) == len(COLUMNS) and cells[0] in NAMES:
            rows[cells[0]] = cells
    return rows


def test_status_shows_each_projections_position_and_lag(container: Container, clock: Clock) -> None:
    history = record_history(container.region, clock)
    caught_up = ["persons", "audit_trail"]
    projections = build_projections(container.region.region_code, caught_up)
    Runner(event_log(container), container.engine, projections).catch_up()
    container.region.receive_contribution(
        agency(), history.resident_basic, amount=Decimal("1.00"), period="2026-04", source="subsidy"
    )
    head = container.region.head()
    with container.engine.connect() as connection:
        positions = {name: entry.live.position for name, entry in registered(connection).items()}
    result = CliRunner().invoke(app, ["projections", "status"], env=env_of(container))
    assert result.exit_code == 0, result.output
    assert f"log head {head}" in result.output
    rows = status_rows(result.output)
    assert set(rows) == set(NAMES)
    for name, cells in rows.items():
        assert positions[name] == (head - 1 if name in caught_up else 0)
        assert (cells[1], cells[2], cells[3]) == (
            "v1",
            str(positions[name]),
            str(head - positions[name]),
        )
        assert cells[6] == ""


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


def test_rebuild_all_in_two_processes_switches_every_view_to_equal_rows(
    container: Container, clock: Clock
) -> None:
    projected_history(container, clock)
    before = {name: snapshot(container.engine, name) for name in NAMES}
    result = CliRunner().invoke(
        app, ["projections", "rebuild", "--all", "--workers", "2"], env=env_of(container)
    )
    assert result.exit_code == 0, result.output
    with container.engine.connect() as connection:
        found = registered(connection)
    head = container.region.head()
    assert {n: (e.live.generation, e.live.position, e.building) for n, e in found.items()} == {
        name: (2, head, None) for name in NAMES
    }
    assert {name: snapshot(container.engine, name) for name in NAMES} == before


def test_rebuild_needs_known_projection_names_or_all(container: Container) -> None:
    cli, env = CliRunner(), env_of(container)
    assert cli.invoke(app, ["projections", "rebuild"], env=env).exit_code == 2
    unknown = cli.invoke(app, ["projections", "rebuild", "persons", "ledger"], env=env)
    assert unknown.exit_code == 2
    assert "'ledger'" in unknown.output
