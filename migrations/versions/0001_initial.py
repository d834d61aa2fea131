"""Initial schema: the event store, the personal data keys, projection tracking and the
first generation of every view.

The event store tables are the eventsourcing library's own DDL (9.5.6), written out here so
that the application runs with CREATE_TABLE=n; a test compares them with what the library
creates. The library's insert function (only used with POSTGRES_ENABLE_DB_FUNCTIONS, which
yibao never enables) is not created.

View tables are generation 1 of every projection, written out below as they were when this
revision was frozen; later generations are created by `yibao projections rebuild` from the
projections' code. A test compares the migrated schema with the code's.

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
    statements = POSTGRES_VIEWS if bind.dialect.name == "postgresql" else SQLITE_VIEWS
    for statement in statements:
        op.execute(statement)
    for name in VIEWS:
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


# Generation 1 of every view as the projections defined it when this revision was frozen
# (2026-12-07). Frozen: a later change to a projection's tables ships as its own revision
# (or, for a view's logic, as a rebuild) — never as an edit of this one.
POSTGRES_VIEWS = (
    """\
CREATE TABLE persons_v1_claims (
    settlement_id UUID NOT NULL,
    person_id UUID NOT NULL,
    year INTEGER NOT NULL,
    deductible_consumed NUMERIC(18, 2) NOT NULL,
    basic_fund_pay NUMERIC(18, 2) NOT NULL,
    major_fund_pay NUMERIC(18, 2) NOT NULL,
    account_pay NUMERIC(18, 2) NOT NULL,
    reversed BOOLEAN NOT NULL,
    PRIMARY KEY (settlement_id)
)
""",
    """\
CREATE TABLE persons_v1_persons (
    person_id UUID NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    region_code VARCHAR(6) NOT NULL,
    masked_id VARCHAR(18) NOT NULL,
    categories JSON NOT NULL,
    enrolled_on DATE NOT NULL,
    terminated_on DATE,
    suspensions JSON NOT NULL,
    account_balance NUMERIC(18, 2) NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (person_id)
)
""",
    """\
CREATE TABLE persons_v1_years (
    person_id UUID NOT NULL,
    year INTEGER NOT NULL,
    outpatient_deductible_used NUMERIC(18, 2) NOT NULL,
    fund_paid_basic NUMERIC(18, 2) NOT NULL,
    fund_paid_major NUMERIC(18, 2) NOT NULL,
    account_credited NUMERIC(18, 2) NOT NULL,
    account_paid NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (person_id, year)
)
""",
    """\
CREATE TABLE agreements_v1_agreements (
    agreement_id UUID NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    institution_name VARCHAR(200) NOT NULL,
    level INTEGER NOT NULL,
    ownership VARCHAR(16) NOT NULL,
    region_code VARCHAR(6) NOT NULL,
    terms JSON NOT NULL,
    annual_budget NUMERIC(18, 2) NOT NULL,
    suspensions JSON NOT NULL,
    flags JSON NOT NULL,
    terminated_on DATE,
    termination_ground VARCHAR(32),
    position BIGINT NOT NULL,
    PRIMARY KEY (agreement_id)
)
""",
    (
        "CREATE INDEX ix_agreements_v1_agreements_institution_code"
        " ON agreements_v1_agreements (institution_code)"
    ),
    """\
CREATE TABLE settlements_v1_settlements (
    settlement_id UUID NOT NULL,
    request_id VARCHAR(128) NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    person_id UUID NOT NULL,
    agreement_id UUID,
    scheme VARCHAR(16),
    visit_id VARCHAR(128) NOT NULL,
    visit_type VARCHAR(16) NOT NULL,
    service_date DATE NOT NULL,
    status VARCHAR(16) NOT NULL,
    reason_codes JSON NOT NULL,
    total NUMERIC(18, 2),
    out_of_scope NUMERIC(18, 2),
    self_pay_first NUMERIC(18, 2),
    eligible NUMERIC(18, 2),
    deductible NUMERIC(18, 2),
    fund_pay NUMERIC(18, 2),
    basic_fund_pay NUMERIC(18, 2),
    major_fund_pay NUMERIC(18, 2),
    over_cap NUMERIC(18, 2),
    account_pay NUMERIC(18, 2),
    cash_pay NUMERIC(18, 2),
    ratio TEXT,
    policy_version VARCHAR(64),
    clawed_back NUMERIC(18, 2) NOT NULL,
    recorded_on DATE NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (settlement_id)
)
""",
    (
        "CREATE INDEX ix_settlements_v1_settlements_institution_code"
        " ON settlements_v1_settlements (institution_code)"
    ),
    """\
CREATE TABLE balances_v1_agreement_years (
    agreement_id UUID NOT NULL,
    year INTEGER NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    settled_fund_pay NUMERIC(18, 2) NOT NULL,
    reversed_fund_pay NUMERIC(18, 2) NOT NULL,
    clawed_back NUMERIC(18, 2) NOT NULL,
    cleared_fund_pays NUMERIC(18, 2),
    PRIMARY KEY (agreement_id, year, scheme)
)
""",
    """\
CREATE TABLE balances_v1_agreements (
    agreement_id UUID NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    PRIMARY KEY (agreement_id)
)
""",
    """\
CREATE TABLE balances_v1_budgets (
    budget_id UUID NOT NULL,
    agreement_id UUID NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    year INTEGER NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    proposed_fund_pays NUMERIC(18, 2),
    PRIMARY KEY (budget_id)
)
""",
    """\
CREATE TABLE balances_v1_debts (
    debt_id UUID NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    year INTEGER NOT NULL,
    PRIMARY KEY (debt_id)
)
""",
    """\
CREATE TABLE balances_v1_fund_days (
    fund_id UUID NOT NULL,
    day DATE NOT NULL,
    kind VARCHAR(32) NOT NULL,
    amount NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (fund_id, day, kind)
)
""",
    """\
CREATE TABLE balances_v1_funds (
    fund_id UUID NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    layer VARCHAR(16) NOT NULL,
    region_code VARCHAR(6) NOT NULL,
    name VARCHAR(200) NOT NULL,
    PRIMARY KEY (fund_id)
)
""",
    """\
CREATE TABLE balances_v1_institution_years (
    institution_code VARCHAR(12) NOT NULL,
    year INTEGER NOT NULL,
    settled_count INTEGER NOT NULL,
    reversed_count INTEGER NOT NULL,
    settled_total NUMERIC(18, 2) NOT NULL,
    settled_fund_pay NUMERIC(18, 2) NOT NULL,
    settled_account_pay NUMERIC(18, 2) NOT NULL,
    settled_cash_pay NUMERIC(18, 2) NOT NULL,
    reversed_total NUMERIC(18, 2) NOT NULL,
    reversed_fund_pay NUMERIC(18, 2) NOT NULL,
    reversed_account_pay NUMERIC(18, 2) NOT NULL,
    reversed_cash_pay NUMERIC(18, 2) NOT NULL,
    clawed_back NUMERIC(18, 2) NOT NULL,
    penalties NUMERIC(18, 2) NOT NULL,
    disbursed_settlement NUMERIC(18, 2) NOT NULL,
    disbursed_prepayment NUMERIC(18, 2) NOT NULL,
    disbursed_clearing NUMERIC(18, 2) NOT NULL,
    owed_back NUMERIC(18, 2) NOT NULL,
    recovered NUMERIC(18, 2) NOT NULL,
    recovered_by_offset NUMERIC(18, 2) NOT NULL,
    budget NUMERIC(18, 2),
    PRIMARY KEY (institution_code, year)
)
""",
    """\
CREATE TABLE balances_v1_scheme_years (
    institution_code VARCHAR(12) NOT NULL,
    year INTEGER NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    settled_count INTEGER NOT NULL,
    reversed_count INTEGER NOT NULL,
    settled_fund_pay NUMERIC(18, 2) NOT NULL,
    reversed_fund_pay NUMERIC(18, 2) NOT NULL,
    clawed_back NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (institution_code, year, scheme)
)
""",
    """\
CREATE TABLE balances_v1_settlements (
    settlement_id UUID NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    agreement_id UUID,
    year INTEGER NOT NULL,
    scheme VARCHAR(16),
    total NUMERIC(18, 2) NOT NULL,
    fund_pay NUMERIC(18, 2) NOT NULL,
    account_pay NUMERIC(18, 2) NOT NULL,
    cash_pay NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (settlement_id)
)
""",
    """\
CREATE TABLE reconciliation_v1_days (
    institution_code VARCHAR(12) NOT NULL,
    day DATE NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    count INTEGER NOT NULL,
    total NUMERIC(18, 2) NOT NULL,
    fund_pay NUMERIC(18, 2) NOT NULL,
    account_pay NUMERIC(18, 2) NOT NULL,
    cash_pay NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (institution_code, day, scheme)
)
""",
    """\
CREATE TABLE reconciliation_v1_settlements (
    settlement_id UUID NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    total NUMERIC(18, 2) NOT NULL,
    fund_pay NUMERIC(18, 2) NOT NULL,
    account_pay NUMERIC(18, 2) NOT NULL,
    cash_pay NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (settlement_id)
)
""",
    """\
CREATE TABLE audit_trail_v1_events (
    position BIGINT NOT NULL,
    aggregate_id UUID NOT NULL,
    aggregate_type VARCHAR(100) NOT NULL,
    version BIGINT NOT NULL,
    event_type VARCHAR(200) NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE,
    actor VARCHAR(200) NOT NULL,
    role VARCHAR(32) NOT NULL,
    request_id VARCHAR(200) NOT NULL,
    correlation_id VARCHAR(200) NOT NULL,
    reason TEXT NOT NULL,
    payload TEXT NOT NULL,
    hash VARCHAR(64) NOT NULL,
    PRIMARY KEY (position)
)
""",
    ("CREATE INDEX ix_audit_trail_v1_events_actor ON audit_trail_v1_events (actor)"),
    ("CREATE INDEX ix_audit_trail_v1_events_aggregate_id ON audit_trail_v1_events (aggregate_id)"),
    ("CREATE INDEX ix_audit_trail_v1_events_event_type ON audit_trail_v1_events (event_type)"),
    ("CREATE INDEX ix_audit_trail_v1_events_recorded_at ON audit_trail_v1_events (recorded_at)"),
    """\
CREATE TABLE audit_trail_v1_head (
    id INTEGER NOT NULL,
    position BIGINT NOT NULL,
    hash VARCHAR(64) NOT NULL,
    PRIMARY KEY (id)
)
""",
    """\
CREATE TABLE archive_catalogue_v1_records (
    record_no BIGINT NOT NULL,
    archive_number VARCHAR(64) NOT NULL,
    record_class VARCHAR(32) NOT NULL,
    retention_code VARCHAR(8) NOT NULL,
    formed_date DATE NOT NULL,
    due_date DATE,
    volume_id VARCHAR(48) NOT NULL,
    position BIGINT,
    aggregate_id UUID,
    event_type VARCHAR(200),
    period VARCHAR(7),
    digest VARCHAR(64) NOT NULL,
    held BOOLEAN NOT NULL,
    PRIMARY KEY (record_no),
    UNIQUE (archive_number)
)
""",
    (
        "CREATE INDEX ix_archive_catalogue_v1_records_due_date"
        " ON archive_catalogue_v1_records (due_date)"
    ),
    (
        "CREATE INDEX ix_archive_catalogue_v1_records_record_class"
        " ON archive_catalogue_v1_records (record_class)"
    ),
    (
        "CREATE INDEX ix_archive_catalogue_v1_records_volume_id"
        " ON archive_catalogue_v1_records (volume_id)"
    ),
    """\
CREATE TABLE archive_catalogue_v1_sequences (
    prefix VARCHAR(48) NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (prefix)
)
""",
    """\
CREATE TABLE archive_catalogue_v1_state (
    id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    records BIGINT NOT NULL,
    chain_position BIGINT NOT NULL,
    chain_hash VARCHAR(64) NOT NULL,
    PRIMARY KEY (id)
)
""",
    """\
CREATE TABLE archive_catalogue_v1_statistics (
    period VARCHAR(7) NOT NULL,
    events INTEGER NOT NULL,
    enrollments INTEGER NOT NULL,
    settled_count INTEGER NOT NULL,
    reversed_count INTEGER NOT NULL,
    rejected_count INTEGER NOT NULL,
    settled_total NUMERIC(18, 2) NOT NULL,
    settled_fund_pay NUMERIC(18, 2) NOT NULL,
    settled_account_pay NUMERIC(18, 2) NOT NULL,
    settled_cash_pay NUMERIC(18, 2) NOT NULL,
    contributions NUMERIC(18, 2) NOT NULL,
    disbursements NUMERIC(18, 2) NOT NULL,
    recoveries NUMERIC(18, 2) NOT NULL,
    offsets NUMERIC(18, 2) NOT NULL,
    clawed_back NUMERIC(18, 2) NOT NULL,
    penalties NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (period)
)
""",
    """\
CREATE TABLE archive_catalogue_v1_subjects (
    aggregate_id UUID NOT NULL,
    scheme_code VARCHAR(1) NOT NULL,
    region_code VARCHAR(6) NOT NULL,
    PRIMARY KEY (aggregate_id)
)
""",
    """\
CREATE TABLE archive_catalogue_v1_volumes (
    volume_id VARCHAR(48) NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    record_class VARCHAR(32) NOT NULL,
    record_count INTEGER NOT NULL,
    seal_hash VARCHAR(64) NOT NULL,
    sealed BOOLEAN NOT NULL,
    PRIMARY KEY (volume_id)
)
""",
)
SQLITE_VIEWS = (
    """\
CREATE TABLE persons_v1_claims (
    settlement_id CHAR(32) NOT NULL,
    person_id CHAR(32) NOT NULL,
    year INTEGER NOT NULL,
    deductible_consumed TEXT NOT NULL,
    basic_fund_pay TEXT NOT NULL,
    major_fund_pay TEXT NOT NULL,
    account_pay TEXT NOT NULL,
    reversed BOOLEAN NOT NULL,
    PRIMARY KEY (settlement_id)
)
""",
    """\
CREATE TABLE persons_v1_persons (
    person_id CHAR(32) NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    region_code VARCHAR(6) NOT NULL,
    masked_id VARCHAR(18) NOT NULL,
    categories JSON NOT NULL,
    enrolled_on DATE NOT NULL,
    terminated_on DATE,
    suspensions JSON NOT NULL,
    account_balance TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (person_id)
)
""",
    """\
CREATE TABLE persons_v1_years (
    person_id CHAR(32) NOT NULL,
    year INTEGER NOT NULL,
    outpatient_deductible_used TEXT NOT NULL,
    fund_paid_basic TEXT NOT NULL,
    fund_paid_major TEXT NOT NULL,
    account_credited TEXT NOT NULL,
    account_paid TEXT NOT NULL,
    PRIMARY KEY (person_id, year)
)
""",
    """\
CREATE TABLE agreements_v1_agreements (
    agreement_id CHAR(32) NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    institution_name VARCHAR(200) NOT NULL,
    level INTEGER NOT NULL,
    ownership VARCHAR(16) NOT NULL,
    region_code VARCHAR(6) NOT NULL,
    terms JSON NOT NULL,
    annual_budget TEXT NOT NULL,
    suspensions JSON NOT NULL,
    flags JSON NOT NULL,
    terminated_on DATE,
    termination_ground VARCHAR(32),
    position BIGINT NOT NULL,
    PRIMARY KEY (agreement_id)
)
""",
    (
        "CREATE INDEX ix_agreements_v1_agreements_institution_code"
        " ON agreements_v1_agreements (institution_code)"
    ),
    """\
CREATE TABLE settlements_v1_settlements (
    settlement_id CHAR(32) NOT NULL,
    request_id VARCHAR(128) NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    person_id CHAR(32) NOT NULL,
    agreement_id CHAR(32),
    scheme VARCHAR(16),
    visit_id VARCHAR(128) NOT NULL,
    visit_type VARCHAR(16) NOT NULL,
    service_date DATE NOT NULL,
    status VARCHAR(16) NOT NULL,
    reason_codes JSON NOT NULL,
    total TEXT,
    out_of_scope TEXT,
    self_pay_first TEXT,
    eligible TEXT,
    deductible TEXT,
    fund_pay TEXT,
    basic_fund_pay TEXT,
    major_fund_pay TEXT,
    over_cap TEXT,
    account_pay TEXT,
    cash_pay TEXT,
    ratio TEXT,
    policy_version VARCHAR(64),
    clawed_back TEXT NOT NULL,
    recorded_on DATE NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (settlement_id)
)
""",
    (
        "CREATE INDEX ix_settlements_v1_settlements_institution_code"
        " ON settlements_v1_settlements (institution_code)"
    ),
    """\
CREATE TABLE balances_v1_agreement_years (
    agreement_id CHAR(32) NOT NULL,
    year INTEGER NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    settled_fund_pay TEXT NOT NULL,
    reversed_fund_pay TEXT NOT NULL,
    clawed_back TEXT NOT NULL,
    cleared_fund_pays TEXT,
    PRIMARY KEY (agreement_id, year, scheme)
)
""",
    """\
CREATE TABLE balances_v1_agreements (
    agreement_id CHAR(32) NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    PRIMARY KEY (agreement_id)
)
""",
    """\
CREATE TABLE balances_v1_budgets (
    budget_id CHAR(32) NOT NULL,
    agreement_id CHAR(32) NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    year INTEGER NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    proposed_fund_pays TEXT,
    PRIMARY KEY (budget_id)
)
""",
    """\
CREATE TABLE balances_v1_debts (
    debt_id CHAR(32) NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    year INTEGER NOT NULL,
    PRIMARY KEY (debt_id)
)
""",
    """\
CREATE TABLE balances_v1_fund_days (
    fund_id CHAR(32) NOT NULL,
    day DATE NOT NULL,
    kind VARCHAR(32) NOT NULL,
    amount TEXT NOT NULL,
    PRIMARY KEY (fund_id, day, kind)
)
""",
    """\
CREATE TABLE balances_v1_funds (
    fund_id CHAR(32) NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    layer VARCHAR(16) NOT NULL,
    region_code VARCHAR(6) NOT NULL,
    name VARCHAR(200) NOT NULL,
    PRIMARY KEY (fund_id)
)
""",
    """\
CREATE TABLE balances_v1_institution_years (
    institution_code VARCHAR(12) NOT NULL,
    year INTEGER NOT NULL,
    settled_count INTEGER NOT NULL,
    reversed_count INTEGER NOT NULL,
    settled_total TEXT NOT NULL,
    settled_fund_pay TEXT NOT NULL,
    settled_account_pay TEXT NOT NULL,
    settled_cash_pay TEXT NOT NULL,
    reversed_total TEXT NOT NULL,
    reversed_fund_pay TEXT NOT NULL,
    reversed_account_pay TEXT NOT NULL,
    reversed_cash_pay TEXT NOT NULL,
    clawed_back TEXT NOT NULL,
    penalties TEXT NOT NULL,
    disbursed_settlement TEXT NOT NULL,
    disbursed_prepayment TEXT NOT NULL,
    disbursed_clearing TEXT NOT NULL,
    owed_back TEXT NOT NULL,
    recovered TEXT NOT NULL,
    recovered_by_offset TEXT NOT NULL,
    budget TEXT,
    PRIMARY KEY (institution_code, year)
)
""",
    """\
CREATE TABLE balances_v1_scheme_years (
    institution_code VARCHAR(12) NOT NULL,
    year INTEGER NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    settled_count INTEGER NOT NULL,
    reversed_count INTEGER NOT NULL,
    settled_fund_pay TEXT NOT NULL,
    reversed_fund_pay TEXT NOT NULL,
    clawed_back TEXT NOT NULL,
    PRIMARY KEY (institution_code, year, scheme)
)
""",
    """\
CREATE TABLE balances_v1_settlements (
    settlement_id CHAR(32) NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    agreement_id CHAR(32),
    year INTEGER NOT NULL,
    scheme VARCHAR(16),
    total TEXT NOT NULL,
    fund_pay TEXT NOT NULL,
    account_pay TEXT NOT NULL,
    cash_pay TEXT NOT NULL,
    PRIMARY KEY (settlement_id)
)
""",
    """\
CREATE TABLE reconciliation_v1_days (
    institution_code VARCHAR(12) NOT NULL,
    day DATE NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    count INTEGER NOT NULL,
    total TEXT NOT NULL,
    fund_pay TEXT NOT NULL,
    account_pay TEXT NOT NULL,
    cash_pay TEXT NOT NULL,
    PRIMARY KEY (institution_code, day, scheme)
)
""",
    """\
CREATE TABLE reconciliation_v1_settlements (
    settlement_id CHAR(32) NOT NULL,
    institution_code VARCHAR(12) NOT NULL,
    scheme VARCHAR(16) NOT NULL,
    total TEXT NOT NULL,
    fund_pay TEXT NOT NULL,
    account_pay TEXT NOT NULL,
    cash_pay TEXT NOT NULL,
    PRIMARY KEY (settlement_id)
)
""",
    """\
CREATE TABLE audit_trail_v1_events (
    position BIGINT NOT NULL,
    aggregate_id CHAR(32) NOT NULL,
    aggregate_type VARCHAR(100) NOT NULL,
    version BIGINT NOT NULL,
    event_type VARCHAR(200) NOT NULL,
    recorded_at DATETIME,
    actor VARCHAR(200) NOT NULL,
    role VARCHAR(32) NOT NULL,
    request_id VARCHAR(200) NOT NULL,
    correlation_id VARCHAR(200) NOT NULL,
    reason TEXT NOT NULL,
    payload TEXT NOT NULL,
    hash VARCHAR(64) NOT NULL,
    PRIMARY KEY (position)
)
""",
    ("CREATE INDEX ix_audit_trail_v1_events_actor ON audit_trail_v1_events (actor)"),
    ("CREATE INDEX ix_audit_trail_v1_events_aggregate_id ON audit_trail_v1_events (aggregate_id)"),
    ("CREATE INDEX ix_audit_trail_v1_events_event_type ON audit_trail_v1_events (event_type)"),
    ("CREATE INDEX ix_audit_trail_v1_events_recorded_at ON audit_trail_v1_events (recorded_at)"),
    """\
CREATE TABLE audit_trail_v1_head (
    id INTEGER NOT NULL,
    position BIGINT NOT NULL,
    hash VARCHAR(64) NOT NULL,
    PRIMARY KEY (id)
)
""",
    """\
CREATE TABLE archive_catalogue_v1_records (
    record_no BIGINT NOT NULL,
    archive_number VARCHAR(64) NOT NULL,
    record_class VARCHAR(32) NOT NULL,
    retention_code VARCHAR(8) NOT NULL,
    formed_date DATE NOT NULL,
    due_date DATE,
    volume_id VARCHAR(48) NOT NULL,
    position BIGINT,
    aggregate_id CHAR(32),
    event_type VARCHAR(200),
    period VARCHAR(7),
    digest VARCHAR(64) NOT NULL,
    held BOOLEAN NOT NULL,
    PRIMARY KEY (record_no),
    UNIQUE (archive_number)
)
""",
    (
        "CREATE INDEX ix_archive_catalogue_v1_records_due_date"
        " ON archive_catalogue_v1_records (due_date)"
    ),
    (
        "CREATE INDEX ix_archive_catalogue_v1_records_record_class"
        " ON archive_catalogue_v1_records (record_class)"
    ),
    (
        "CREATE INDEX ix_archive_catalogue_v1_records_volume_id"
        " ON archive_catalogue_v1_records (volume_id)"
    ),
    """\
CREATE TABLE archive_catalogue_v1_sequences (
    prefix VARCHAR(48) NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (prefix)
)
""",
    """\
CREATE TABLE archive_catalogue_v1_state (
    id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    records BIGINT NOT NULL,
    chain_position BIGINT NOT NULL,
    chain_hash VARCHAR(64) NOT NULL,
    PRIMARY KEY (id)
)
""",
    """\
CREATE TABLE archive_catalogue_v1_statistics (
    period VARCHAR(7) NOT NULL,
    events INTEGER NOT NULL,
    enrollments INTEGER NOT NULL,
    settled_count INTEGER NOT NULL,
    reversed_count INTEGER NOT NULL,
    rejected_count INTEGER NOT NULL,
    settled_total TEXT NOT NULL,
    settled_fund_pay TEXT NOT NULL,
    settled_account_pay TEXT NOT NULL,
    settled_cash_pay TEXT NOT NULL,
    contributions TEXT NOT NULL,
    disbursements TEXT NOT NULL,
    recoveries TEXT NOT NULL,
    offsets TEXT NOT NULL,
    clawed_back TEXT NOT NULL,
    penalties TEXT NOT NULL,
    PRIMARY KEY (period)
)
""",
    """\
CREATE TABLE archive_catalogue_v1_subjects (
    aggregate_id CHAR(32) NOT NULL,
    scheme_code VARCHAR(1) NOT NULL,
    region_code VARCHAR(6) NOT NULL,
    PRIMARY KEY (aggregate_id)
)
""",
    """\
CREATE TABLE archive_catalogue_v1_volumes (
    volume_id VARCHAR(48) NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    record_class VARCHAR(32) NOT NULL,
    record_count INTEGER NOT NULL,
    seal_hash VARCHAR(64) NOT NULL,
    sealed BOOLEAN NOT NULL,
    PRIMARY KEY (volume_id)
)
""",
)
VIEWS = (
    "persons",
    "agreements",
    "settlements",
    "balances",
    "reconciliation",
    "audit_trail",
    "archive_catalogue",
)


def downgrade() -> None:
    raise RuntimeError(
        "0001_initial is not reversible: it would destroy the event store, whose records "
        "are kept for 10 to 100 years or permanently (DOMAIN.md §8)."
    )
