"""A package's window of days is found along the log even where PostgreSQL skipped an id (a
refused insert still takes its number from the sequence)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from interfaces.archive_package.export import window_positions
from interfaces.bootstrap import Container
from projections.store import head
from tests.conftest import Clock
from tests.support import enroll, sign


@pytest.mark.parametrize("backend", ["postgres"])
def test_the_window_of_days_spans_ids_the_database_skipped(
    container: Container, clock: Clock
) -> None:
    engine = container.engine
    sign(container.region)
    with engine.connect() as c:
        first_day_last = head(c)
    with engine.begin() as c:  # three ids taken and never used
        c.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence('region_events', 'notification_id')) "
                "FROM generate_series(1, 3)"
            )
        )
    clock.advance(days=3)
    enroll(container.region, date(1961, 1, 5))
    with engine.connect() as c:
        last = head(c)

    assert window_positions(engine, date(2026, 3, 2), date(2026, 3, 2)) == (1, first_day_last)
    assert window_positions(engine, date(2026, 3, 5), date(2026, 3, 5)) == (
        first_day_last + 4,
        last,
    )
    assert window_positions(engine, date(2026, 3, 3), date(2026, 3, 4)) is None
