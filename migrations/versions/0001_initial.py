"""Initial schema: the event store, the personal data keys, projection tracking and the
first generation of every view.

The event store tables are the eventsourcing library's own DDL (9.5.6), written out here so
that the application runs with CREATE_TABLE=n; a test compares them with what the library
creates. The library's insert function (only used with POSTGRES_ENABLE_DB_FUNCTIONS, which
yibao never enables) is not created.

View tables come from the projections' own definitions (generation 1); later generations
are created by `yibao projections rebuild` from the same definitions.

Revision ID: 0001_initial
Revises:
Create Date: 2026-03-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUTOVACUUM = (
    "WITH ("
    "autovacuum_enabled = true, "
    "autovacuum_vacuum_threshold = 100000000, "
    "autovacuum_vacuum_scale_factor = 0.5, "
    "autovacuum_analyze_threshold = 1000, "
    "autovacuum_analyze_scale_factor = 0.01)"
)

SQLITE_EVENT_STORE = (
    "CREATE TABLE IF NOT EXISTS stored_events ("
    "originator_id TEXT, originator_version INTEGER, topic TEXT, state BLOB, "
    "PRIMARY KEY (originator_id, originator_version))",
    "CREATE TABLE IF NOT EXISTS stored_snapshots ("
    "originator_id TEXT, originator_version INTEGER, topic TEXT, state BLOB, "
    "PRIMARY KEY (originator_id, originator_version)) WITHOUT ROWID",
)

POSTGRES_EVENT_STORE = (
    "CREATE TABLE IF NOT EXISTS public.region_events ("
    "originator_id uuid NOT NULL, originator_version bigint NOT NULL, topic text, state bytea, "
    "notification_id bigserial, PRIMARY KEY (originator_id, originator_version)) " + AUTOVACUUM,
    "CREATE UNIQUE INDEX IF NOT EXISTS region_events_notification_id_idx "
    "ON public.region_events (notification_id ASC)",
    "CREATE TABLE IF NOT EXISTS public.region_snapshots ("
    "originator_id uuid NOT NULL, originator_version bigint NOT NULL, topic text, state bytea, "
    "PRIMARY KEY (originator_id, originator_version)) " + AUTOVACUUM,
    # The composite type the library's batch insert casts to (unnest(%s::stored_event_uuid[]));
    # PostgreSQL has no CREATE TYPE IF NOT EXISTS.
    "DO $$ BEGIN CREATE TYPE public.stored_event_uuid AS "
    "(originator_id uuid, originator_version bigint, topic text, state bytea); "
    "EXCEPTION WHEN duplicate_object THEN NULL; END $$",
)


def upgrade() -> None:
    bind = op.get_bind()
    statements = POSTGRES_EVENT_STORE if bind.dialect.name == "postgresql" else SQLITE_EVENT_STORE
    for statement in statements:
        op.execute(statement)
    # Databases made before migrations existed already hold the events and the keys: the
    # statements above are idempotent, and the key table is adopted as it is.
    if not sa.inspect(bind).has_table("personal_data_keys"):
        _personal_data_keys()
    op.create_table(
        "projection_registry",
        sa.Column("projection", sa.String(64), primary_key=True),
        sa.Column("live_generation", sa.Integer, nullable=False),
        sa.Column("building_generation", sa.Integer, nullable=True),
    )
    op.create_table(
        "projection_tracking",
        sa.Column("projection", sa.String(64), primary_key=True),
        sa.Column("generation", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("last_progress_at", sa.DateTime(timezone=True), nullable=True),
    )
    _first_generation_of_every_view(bind)


def _personal_data_keys() -> None:
    op.create_table(
        "personal_data_keys",
        sa.Column("subject_id", sa.String(32), primary_key=True),
        sa.Column("key", sa.LargeBinary, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("destroyed_at", sa.DateTime(timezone=True), nullable=True),
    )


def _first_generation_of_every_view(bind: sa.Connection) -> None:
    from projections.catalog import PROJECTION_CLASSES
    from projections.projection import table_prefix

    for projection in PROJECTION_CLASSES:
        metadata = sa.MetaData()
        projection.define(metadata, table_prefix(projection.name, 1))
        metadata.create_all(bind)
        op.execute(
            sa.text(
                "INSERT INTO projection_registry (projection, live_generation) VALUES (:name, 1)"
            ).bindparams(name=projection.name)
        )
        op.execute(
            sa.text(
                "INSERT INTO projection_tracking (projection, generation, position) "
                "VALUES (:name, 1, 0)"
            ).bindparams(name=projection.name)
        )


def downgrade() -> None:
    raise RuntimeError(
        "0001_initial is not reversible: it would destroy the event store, whose records "
        "are kept for 10 to 100 years or permanently (DOMAIN.md §8)."
    )
