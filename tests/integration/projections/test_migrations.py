"""`yibao db upgrade` on an empty database gives every table yibao uses — the event store as
the library itself would create it, the keys, tracking and the first generation of every
view — and the application then runs without creating anything (CREATE_TABLE=n).

The view contract suite (`tests/contract`) runs on databases made exactly this way.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, DateTime, Engine, MetaData, inspect, text

from interfaces import keystore
from interfaces.bootstrap import build, create_db_engine
from interfaces.migrate import current_revision, head_revision, upgrade
from interfaces.settings import Settings
from projections import tracking
from projections.catalog import PROJECTION_CLASSES
from projections.projection import table_prefix
from tests.conftest import Clock, drop_pg_database, settings_for
from tests.contract.scenario import projected_history


@pytest.fixture
def empty(backend: str, tmp_path: Path) -> Iterator[Settings]:
    """An empty database, not migrated."""
    (tmp_path / "a").mkdir()
    made, pg_url = settings_for(backend, tmp_path / "a")
    try:
        yield made
    finally:
        if pg_url:
            drop_pg_database(pg_url)


def event_store_schema(connection: Connection) -> list[Any]:
    if connection.dialect.name == "sqlite":
        query = "SELECT name, sql FROM sqlite_master WHERE name LIKE 'stored_%' ORDER BY name"
        return [tuple(r) for r in connection.execute(text(query))]
    queries = (
        "SELECT table_name, column_name, data_type, is_nullable, column_default "
        "FROM information_schema.columns WHERE table_name LIKE 'region_%' "
        "ORDER BY table_name, ordinal_position",
        "SELECT tablename, indexname, indexdef FROM pg_indexes "
        "WHERE tablename LIKE 'region_%' ORDER BY indexname",
        "SELECT relname, reloptions FROM pg_class WHERE relname LIKE 'region_%' ORDER BY relname",
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_type t "
        "JOIN pg_attribute a ON a.attrelid = t.typrelid "
        "WHERE t.typname = 'stored_event_uuid' ORDER BY a.attnum",
    )
    return [[tuple(r) for r in connection.execute(text(q))] for q in queries]


def schema_of(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        return event_store_schema(connection)


def test_an_empty_database_migrates_to_head_and_the_region_runs_without_creating_tables(
    empty: Settings, clock: Clock
) -> None:
    assert current_revision(empty) is None
    upgrade(empty)
    upgrade(empty)  # a second run changes nothing
    assert current_revision(empty) == head_revision() == "0004_budgets_and_tokens"
    container = build(empty, clock=clock)  # CREATE_TABLE=n
    try:
        history = projected_history(container, clock)
        assert container.views.person(history.senior, 2026) is not None
        assert container.views.verify_chain(None, None).ok
    finally:
        container.close()


def test_the_migrated_event_store_is_the_one_the_library_creates(
    empty: Settings, backend: str, tmp_path: Path
) -> None:
    upgrade(empty)
    (tmp_path / "b").mkdir()
    by_the_library, pg_url = settings_for(backend, tmp_path / "b")
    try:
        build(by_the_library, create_tables=True).close()
        migrated, created = create_db_engine(empty), create_db_engine(by_the_library)
        try:
            assert schema_of(migrated) == schema_of(created)
            assert all(schema_of(migrated))
        finally:
            migrated.dispose()
            created.dispose()
    finally:
        if pg_url:
            drop_pg_database(pg_url)


def test_the_migrated_tables_are_the_ones_the_code_defines(empty: Settings) -> None:
    upgrade(empty)
    expected = MetaData()
    for table in (*keystore.metadata.tables.values(), *tracking.metadata.tables.values()):
        table.to_metadata(expected)
    for projection in PROJECTION_CLASSES:
        projection.define(expected, table_prefix(projection.name, 1))
    engine = create_db_engine(empty)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = [d for d in compare_metadata(context, expected) if not _event_store(d)]
    finally:
        engine.dispose()
    assert differences == []


def _event_store(difference: Any) -> bool:
    """The event store is the library's (compared above), not in any metadata of ours."""
    kind, item = difference[0], difference[1]
    table = item if kind == "remove_table" else getattr(item, "table", None)
    return table is not None and str(table.name).startswith(("stored_", "region_"))


def test_a_database_at_0001_upgrades_to_keep_failures_and_a_nullable_trail_instant(
    empty: Settings,
) -> None:
    upgrade(empty, "0001_initial")
    engine = create_db_engine(empty)
    try:
        # As 0001 made it before the trail took events whose instant is unreadable.
        with (
            engine.begin() as connection,
            Operations(MigrationContext.configure(connection)).batch_alter_table(
                "audit_trail_v1_events"
            ) as events,
        ):
            events.alter_column(
                "recorded_at", existing_type=DateTime(timezone=True), nullable=False
            )
        upgrade(empty)
        columns = {c["name"]: c for c in inspect(engine).get_columns("audit_trail_v1_events")}
        tracked = {c["name"] for c in inspect(engine).get_columns("projection_tracking")}
    finally:
        engine.dispose()
    assert columns["recorded_at"]["nullable"]
    assert {"error", "error_position"} <= tracked
    assert current_revision(empty) == head_revision()


def test_a_database_made_before_holds_gets_the_first_generation_of_their_view(
    empty: Settings,
) -> None:
    upgrade(empty, "0002_projection_failures")
    engine = create_db_engine(empty)
    try:
        before = set(inspect(engine).get_table_names())
        upgrade(empty)
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            live = connection.exec_driver_sql(
                "SELECT live_generation FROM projection_registry WHERE projection = 'archive_holds'"
            ).scalar_one()
    finally:
        engine.dispose()
    assert not any(t.startswith("archive_holds") for t in before)  # 0001 is frozen without it
    assert {"archive_holds_v1_holds", "archive_holds_v1_owners"} <= tables and live == 1
