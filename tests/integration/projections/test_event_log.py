"""The read side's port to the log reads the stored rows exactly as the library stores them."""

from __future__ import annotations

from uuid import UUID

import pytest
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
    select,
    text,
    update,
)

from interfaces.bootstrap import Container
from projections import chain_check
from projections.audit_chain import GENESIS, canonical_bytes, chain
from projections.audit_trail import AuditTrail
from projections.projection import tables_of
from projections.store import events_table
from projections.tracking import live
from tests.conftest import Clock
from tests.contract.scenario import projected_history, record_history


def stored(container: Container) -> list[tuple[int, bytes]]:
    """(position, canonical bytes) of every stored event, from the library's own reader."""
    notifications = container.region.recorder.select_notifications(start=1, limit=10_000)
    return [
        (
            n.id,
            canonical_bytes(
                n.id, UUID(str(n.originator_id)), n.originator_version, n.topic, bytes(n.state)
            ),
        )
        for n in notifications
    ]


def test_canonical_pages_are_the_audit_chains_bytes_of_every_stored_event(
    container: Container, clock: Clock
) -> None:
    record_history(container.region, clock)
    expected = stored(container)
    head = container.log.head()

    pages = list(container.log.canonical_pages(1, head, 7))

    assert [len(p) for p in pages[:-1]] == [7] * (len(pages) - 1)
    assert [row for page in pages for row in page] == expected
    assert head == expected[-1][0]


def test_events_are_read_in_pages_after_a_position_and_decoded_on_demand(
    container: Container, clock: Clock
) -> None:
    record_history(container.region, clock)
    page = container.log.read(3, 5)

    assert [r.position for r in page] == [4, 5, 6, 7, 8]
    assert page[0].event.originator_id == page[0].originator_id


@pytest.mark.parametrize("page", [1, 3, 10_000])
def test_verify_names_a_trail_row_the_store_does_not_hold_whatever_the_page(
    container: Container, clock: Clock, monkeypatch: pytest.MonkeyPatch, page: int
) -> None:
    projected_history(container, clock)
    monkeypatch.setattr(chain_check, "PAGE", page)
    table, column = events_table(container.engine.dialect.name)
    with container.engine.begin() as connection:
        connection.execute(text(f"DELETE FROM {table} WHERE {column} = 5"))

    verdict = container.views.verify_chain(None, None)

    assert (verdict.ok, verdict.first_mismatch_position, verdict.checked) == (False, 5, 5)


def trail_table(container: Container) -> Table:
    with container.engine.connect() as connection:
        generation = live(connection, [AuditTrail.name])[AuditTrail.name].generation
    return tables_of(AuditTrail, generation)["events"]


@pytest.mark.parametrize("page", [1, 3, 10_000])
def test_verify_names_a_trail_hash_that_was_rewritten_whatever_the_page(
    container: Container, clock: Clock, monkeypatch: pytest.MonkeyPatch, page: int
) -> None:
    projected_history(container, clock)
    monkeypatch.setattr(chain_check, "PAGE", page)
    events = trail_table(container)
    with container.engine.begin() as connection:
        (hash_hex,) = connection.execute(select(events.c.hash).where(events.c.position == 6)).one()
        forged = ("0" if hash_hex[0] != "0" else "1") + hash_hex[1:]
        connection.execute(update(events).where(events.c.position == 6).values(hash=forged))

    verdict = container.views.verify_chain(None, None)

    assert (verdict.ok, verdict.first_mismatch_position, verdict.checked) == (False, 6, 6)


def test_a_page_digest_tells_a_digit_moved_from_one_trail_hash_to_the_next() -> None:
    """The page digest joins the hashes without separators: a hash one digit short followed
    by one a digit long joins to the same text, and must still differ (the store where a
    column's length is not enforced: SQLite)."""
    engine = create_engine("sqlite://")
    events = Table(
        "trail", MetaData(), Column("position", Integer, primary_key=True), Column("hash", String)
    )
    events.metadata.create_all(engine)
    page = [(1, b"first"), (2, b"second")]
    _, digest = chain_check._chained(page, GENESIS)
    first = chain(GENESIS, b"first").hex()
    second = chain(bytes.fromhex(first), b"second").hex()
    with engine.begin() as connection:
        connection.execute(
            insert(events), [{"position": 1, "hash": first}, {"position": 2, "hash": second}]
        )
        assert chain_check.trail_digest(connection, events, 0, 2) == digest
        connection.execute(update(events).where(events.c.position == 1).values(hash=first[:-1]))
        connection.execute(
            update(events).where(events.c.position == 2).values(hash=first[-1] + second)
        )
        assert chain_check.trail_digest(connection, events, 0, 2) != digest
