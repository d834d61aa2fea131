"""A batch reads each row once, sees its own changes, and writes each changed row once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, event, select

from projections.batch import Batch
from projections.sqltypes import Money

metadata = MetaData()
totals = Table(
    "totals",
    metadata,
    Column("key", String(8), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("amount", Money, nullable=False),
)


def test_changes_accumulate_in_the_batch_and_reach_the_table_on_flush() -> None:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with engine.begin() as connection:
        batch = Batch(connection, {"totals": totals})
        for amount in ("0.10", "0.20", "0.30"):
            row = batch.get("totals", "a") or {"key": "a", "count": 0, "amount": Decimal("0.00")}
            batch.put(
                "totals",
                {**row, "count": row["count"] + 1, "amount": row["amount"] + Decimal(amount)},
            )
        assert batch.flush() == 1
    assert sum("SELECT" in s for s in statements) == 1  # one read, then the cache
    with engine.connect() as connection:
        stored = connection.execute(select(totals.c.count, totals.c.amount)).one()
    assert tuple(stored) == (3, Decimal("0.60"))


def test_money_columns_refuse_floats_and_keep_exact_decimals_on_sqlite() -> None:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(totals.insert(), {"key": "x", "count": 1, "amount": Decimal("-0.00")})
        stored = connection.exec_driver_sql("SELECT amount, typeof(amount) FROM totals").one()
        assert tuple(stored) == ("0.00", "text")
        with pytest.raises(Exception, match="Decimal"):
            connection.execute(totals.insert(), {"key": "y", "count": 1, "amount": 0.1})
