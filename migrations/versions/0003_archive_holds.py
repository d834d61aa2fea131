"""Holds (封存) on the read side: the first generation of the `archive_holds` view.

Revision ID: 0003_archive_holds
Revises: 0002_projection_failures
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_archive_holds"
down_revision: str | Sequence[str] | None = "0002_projection_failures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "archive_holds"


def _tables(metadata: sa.MetaData) -> None:
    # Written out (not imported from the projection) so that this revision never changes.
    sa.Table(
        f"{NAME}_v1_holds",
        metadata,
        sa.Column("hold_id", sa.Uuid, primary_key=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("by_aggregates", sa.Boolean, nullable=False),
        sa.Column("record_class", sa.String(32)),
        sa.Column("since", sa.Date),
        sa.Column("until", sa.Date),
        sa.Column("institution_code", sa.String(64)),
        sa.Column("person_id", sa.Uuid),
        sa.Column("legal_basis", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("placed_by", sa.String(200), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    sa.Table(
        f"{NAME}_v1_hold_aggregates",
        metadata,
        sa.Column("hold_id", sa.Uuid, primary_key=True),
        sa.Column("aggregate_id", sa.Uuid, primary_key=True),
    )
    sa.Table(
        f"{NAME}_v1_owners",
        metadata,
        sa.Column("aggregate_id", sa.Uuid, primary_key=True),
        sa.Column("person_id", sa.Uuid, index=True),
        sa.Column("institution_code", sa.String(64), index=True),
    )


def upgrade() -> None:
    bind = op.get_bind()
    if sa.inspect(bind).has_table(f"{NAME}_v1_holds"):
        return  # created by 0001 from the projection's own definition (a fresh database)
    metadata = sa.MetaData()
    _tables(metadata)
    metadata.create_all(bind)
    op.execute(
        sa.text(
            "INSERT INTO projection_registry (projection, live_generation) VALUES (:name, 1)"
        ).bindparams(name=NAME)
    )
    op.execute(
        sa.text(
            "INSERT INTO projection_tracking (projection, generation, position) "
            "VALUES (:name, 1, 0)"
        ).bindparams(name=NAME)
    )


def downgrade() -> None:
    for table in ("owners", "hold_aggregates", "holds"):
        op.drop_table(f"{NAME}_v1_{table}")
    op.execute(sa.text("DELETE FROM projection_tracking WHERE projection = :n").bindparams(n=NAME))
    op.execute(sa.text("DELETE FROM projection_registry WHERE projection = :n").bindparams(n=NAME))
