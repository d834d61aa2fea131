"""Values an event or a query may carry that a database column refuses: a NUL in a string
(PostgreSQL text cannot hold it) and an instant at the edge of what Python can convert."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from interfaces.bootstrap import Container
from projections.catalog import NAMES
from projections.projection import tables_of
from projections.settlements import Settlements
from tests.conftest import Clock
from tests.contract.scenario import projected_history, runner_for
from tests.support import claim, enroll, institution, sign


def test_an_event_with_a_nul_in_its_strings_reaches_every_view(container: Container) -> None:
    region = container.region
    sign(region)
    person = enroll(region)
    request = dataclasses.replace(claim(person, request_id="REQ\x00NUL"), visit_id="V\x00X")
    settled = region.settle(institution(request_id=request.request_id), request)
    region.reverse_settlement(
        institution(request_id="REV-1"), settled.settlement_id, reason="错\x00"
    )

    runner_for(container).catch_up()

    head = region.head()
    assert {s.name: s.position for s in container.views.projection_status()} == dict.fromkeys(
        NAMES, head
    )
    table = tables_of(Settlements, 1)["settlements"]
    with container.engine.connect() as connection:
        stored = connection.execute(select(table.c.visit_id, table.c.request_id)).one()
        # Equality sees the same value on both backends.
        found = connection.execute(select(table.c.status).where(table.c.visit_id == "V\x00X"))
        assert found.scalar_one() == "reversed"
    assert tuple(stored) == ("V\ufffdX", "REQ\ufffdNUL")
    (reversal,), _ = container.views.audit_events(event_type="Settlement.Reversed")
    assert reversal.reason == "错\ufffd"
    assert container.views.settlement(settled.settlement_id).request_id == "REQ\ufffdNUL"  # type: ignore[union-attr]


def test_instants_beyond_pythons_utc_range_filter_as_the_first_and_last_instant(
    container: Container, clock: Clock
) -> None:
    projected_history(container, clock)
    views = container.views
    everything, _ = views.audit_events(limit=1000)
    earliest = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))
    latest = datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-10)))
    assert views.audit_events(since=earliest, limit=1000)[0] == everything
    assert views.audit_events(until=latest, limit=1000)[0] == everything
    assert views.audit_events(until=earliest, limit=1000)[0] == []
    assert views.audit_events(since=latest, limit=1000)[0] == []
    assert views.audit_events(since=datetime(2026, 3, 2, tzinfo=UTC), limit=1)[0]
