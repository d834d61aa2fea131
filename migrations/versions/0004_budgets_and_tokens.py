"""Budgets and tokens on the read side: the first generation of the `budgets` view (a budget's
figures, prepayments and clearing, read by GET /v1/budgets/{id}) and of the `tokens` view
(`yibao token list`). Both start at position 0: the projection runner fills them from the
whole log after the upgrade.

The DDL is written out here as the projections defined it when this revision was frozen
(2026-12-07), never built from today's code; a test compares the migrated schema with the
code's.

Revision ID: 0004_budgets_and_tokens
Revises: 0003_archive_holds
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_budgets_and_tokens"
down_revision: str | Sequence[str] | None = "0003_archive_holds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAMES = ("budgets", "tokens")
TABLES = (
    "budgets_v1_budgets",
    "budgets_v1_figures",
    "budgets_v1_prepayments",
    "budgets_v1_corrections",
    "tokens_v1_tokens",
)

POSTGRES_VIEWS = (
    """\
CREATE TABLE budgets_v1_budgets (
    budget_id UUID NOT NULL,
    agreement_id UUID NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    region_code VARCHAR(6) NOT NULL,
    year INTEGER NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    amount NUMERIC(18, 2) NOT NULL,
    basis TEXT NOT NULL,
    prepaid NUMERIC(18, 2) NOT NULL,
    figures INTEGER NOT NULL,
    proposed_budget NUMERIC(18, 2),
    proposed_actual NUMERIC(18, 2),
    proposed_prepaid NUMERIC(18, 2),
    proposed_fund_pays NUMERIC(18, 2),
    surplus_incentive NUMERIC(18, 2),
    institution_bears NUMERIC(18, 2),
    rule VARCHAR(32),
    as_of_position BIGINT,
    confirmed BOOLEAN NOT NULL,
    fund_pays NUMERIC(18, 2),
    owed_back NUMERIC(18, 2) NOT NULL,
    recovered NUMERIC(18, 2) NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (budget_id)
)
""",
    "CREATE INDEX ix_budgets_v1_budgets_institution_code ON budgets_v1_budgets (institution_code)",
    """\
CREATE TABLE budgets_v1_figures (
    budget_id UUID NOT NULL,
    number INTEGER NOT NULL,
    kind VARCHAR(16) NOT NULL,
    amount NUMERIC(18, 2) NOT NULL,
    reason TEXT NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (budget_id, number)
)
""",
    """\
CREATE TABLE budgets_v1_prepayments (
    budget_id UUID NOT NULL,
    month VARCHAR(7) NOT NULL,
    amount NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (budget_id, month)
)
""",
    """\
CREATE TABLE budgets_v1_corrections (
    budget_id UUID NOT NULL,
    correction_no INTEGER NOT NULL,
    fund_pays NUMERIC(18, 2) NOT NULL,
    corrects NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (budget_id, correction_no)
)
""",
    """\
CREATE TABLE tokens_v1_tokens (
    token_id UUID NOT NULL,
    role VARCHAR(16) NOT NULL,
    institution_code VARCHAR(12),
    name TEXT NOT NULL,
    issued_at TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked BOOLEAN NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (token_id)
)
""",
    "CREATE INDEX ix_tokens_v1_tokens_position ON tokens_v1_tokens (position)",
)
SQLITE_VIEWS = (
    """\
CREATE TABLE budgets_v1_budgets (
    budget_id CHAR(32) NOT NULL,
    agreement_id CHAR(32) NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    region_code VARCHAR(6) NOT NULL,
    year INTEGER NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    amount TEXT NOT NULL,
    basis TEXT NOT NULL,
    prepaid TEXT NOT NULL,
    figures INTEGER NOT NULL,
    proposed_budget TEXT,
    proposed_actual TEXT,
    proposed_prepaid TEXT,
    proposed_fund_pays TEXT,
    surplus_incentive TEXT,
    institution_bears TEXT,
    rule VARCHAR(32),
    as_of_position BIGINT,
    confirmed BOOLEAN NOT NULL,
    fund_pays TEXT,
    owed_back TEXT NOT NULL,
    recovered TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (budget_id)
)
""",
    "CREATE INDEX ix_budgets_v1_budgets_institution_code ON budgets_v1_budgets (institution_code)",
    """\
CREATE TABLE budgets_v1_figures (
    budget_id CHAR(32) NOT NULL,
    number INTEGER NOT NULL,
    kind VARCHAR(16) NOT NULL,
    amount TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_at DATETIME NOT NULL,
    PRIMARY KEY (budget_id, number)
)
""",
    """\
CREATE TABLE budgets_v1_prepayments (
    budget_id CHAR(32) NOT NULL,
    month VARCHAR(7) NOT NULL,
    amount TEXT NOT NULL,
    PRIMARY KEY (budget_id, month)
)
""",
    """\
CREATE TABLE budgets_v1_corrections (
    budget_id CHAR(32) NOT NULL,
    correction_no INTEGER NOT NULL,
    fund_pays TEXT NOT NULL,
    corrects TEXT NOT NULL,
    PRIMARY KEY (budget_id, correction_no)
)
""",
    """\
CREATE TABLE tokens_v1_tokens (
    token_id CHAR(32) NOT NULL,
    role VARCHAR(16) NOT NULL,
    institution_code VARCHAR(12),
    name TEXT NOT NULL,
    issued_at DATETIME NOT NULL,
    revoked BOOLEAN NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (token_id)
)
""",
    "CREATE INDEX ix_tokens_v1_tokens_position ON tokens_v1_tokens (position)",
)


def upgrade() -> None:
    bind = op.get_bind()
    for statement in POSTGRES_VIEWS if bind.dialect.name == "postgresql" else SQLITE_VIEWS:
        op.execute(statement)
    for name in NAMES:
        op.execute(
            sa.text(
                "INSERT INTO projection_registry (projection, live_generation) VALUES (:name, 1)"
            ).bindparams(name=name)
        )
        op.execute(
            sa.text(
                "INSERT INTO projection_tracking (projection, generation, position) "
                "VALUES (:name, 1, 0)"
            ).bindparams(name=name)
        )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
    for name in NAMES:
        for registry in ("projection_tracking", "projection_registry"):
            op.execute(
                sa.text(f"DELETE FROM {registry} WHERE projection = :name").bindparams(name=name)
            )
