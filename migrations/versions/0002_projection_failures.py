"""Projection failures are kept with the tracking position; the audit trail takes an event
whose stored bytes name no instant.

- `projection_tracking.error`, `.error_position`: the last failure of a generation (the
  error and the position of the event it stopped at), cleared when it moves past it.
- `audit_trail_v<n>_events.recorded_at` becomes nullable in every existing generation: the
  trail chains every stored event, even one whose JSON cannot be read.

View changes that need new rows (the archive catalogue's chain heads, the statistics'
offsets) are applied by `yibao projections rebuild archive_catalogue`, as every change to a
view's logic is (docs/projections.md).

Revision ID: 0002_projection_failures
Revises: 0001_initial
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_projection_failures"
down_revision: str | Sequence[str] | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("projection_tracking") as tracking:
        tracking.add_column(sa.Column("error", sa.Text, nullable=True))
        tracking.add_column(sa.Column("error_position", sa.BigInteger, nullable=True))
    generations = bind.execute(
        sa.text("SELECT generation FROM projection_tracking WHERE projection = 'audit_trail'")
    ).scalars()
    inspector = sa.inspect(bind)
    for generation in list(generations):
        table = f"audit_trail_v{generation}_events"
        if not inspector.has_table(table):
            continue
        with op.batch_alter_table(table) as events:
            events.alter_column(
                "recorded_at", existing_type=sa.DateTime(timezone=True), nullable=True
            )


def downgrade() -> None:
    with op.batch_alter_table("projection_tracking") as tracking:
        tracking.drop_column("error_position")
        tracking.drop_column("error")
