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


links = Table(
    "links",
    metadata,
    Column("source", String(8), primary_key=True),
    Column("target", String(8), nullable=False),
)
log = Table("log", metadata, Column("n", Integer, primary_key=True), Column("key", String(8)))


def test_a_batch_prefetches_its_reads_with_one_query_per_table_and_dependency() -> None:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            links.insert(), [{"source": f"s{n}", "target": f"t{n}"} for n in range(50)]
        )
        connection.execute(
            totals.insert(),
            [{"key": f"t{n}", "count": n, "amount": Decimal("1.00")} for n in range(0, 50, 2)],
        )
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    sources = [f"s{n}" for n in range(50)] + ["s3", "missing"]

    def apply_all(batch: Batch) -> None:
        for number, source in enumerate(sources):
            link = batch.get("links", source)
            target = link["target"] if link else "none"
            row = batch.get("totals", target) or {"key": target, "count": 0, "amount": Decimal(0)}
            batch.put("totals", {**row, "count": row["count"] + 1, "amount": row["amount"]})
            batch.append("log", {"n": number, "key": target})

    with engine.begin() as connection:
        batch = Batch(connection, {"links": links, "totals": totals, "log": log})
        batch.run(lambda: apply_all(batch))
        batch.flush()
    # Three reads for 52 events: the links (and the total of "none", which the first dry
    # pass guessed, every link reading as absent), then the totals the links name.
    assert sum(s.lstrip().startswith("SELECT") for s in statements) == 3
    with engine.connect() as connection:
        counts = dict(connection.execute(select(totals.c.key, totals.c.count)).all())
        logged = connection.execute(select(log.c.n)).scalars().all()
    assert counts["t0"] == 1 and counts["t1"] == 1 and counts["t2"] == 3 and counts["t3"] == 2
    assert counts["none"] == 1
    assert logged == list(range(len(sources)))  # the dry passes wrote nothing


def test_an_error_of_the_exact_pass_propagates_and_one_of_a_dry_pass_does_not() -> None:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(links.insert(), {"source": "a", "target": "b"})
        batch = Batch(connection, {"links": links})

        def needs_the_row() -> None:
            row = batch.get("links", "a")
            assert row is not None  # absent in the dry pass only
            batch.put("links", {**row, "target": "c"})

        batch.run(needs_the_row)
        assert batch.flush() == 1

        def always_fails() -> None:
            raise ValueError("poison")

        with pytest.raises(ValueError, match="poison"):
            batch.run(always_fails)
