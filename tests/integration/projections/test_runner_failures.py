"""A batch that fails only when it is written (a constraint, a value a column refuses) is
retried event by event: the events before the culprit are applied and the culprit's
position is the one recorded."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

import pytest
from sqlalchemy import BigInteger, CheckConstraint, Column, MetaData, Table

from domain.fund import fund_id
from interfaces.bootstrap import Container, event_log
from projections.batch import Batch
from projections.events import Recorded
from projections.projection import ViewProjection
from projections.rebuild import start_generation
from projections.runtime import ProjectionFailed, Runner
from projections.tracking import live
from tests.support import agency


class Picky(ViewProjection):
    """Writes one row per event; the database refuses the row of position 5."""

    name: ClassVar[str] = "picky_test"

    @classmethod
    def define(cls, metadata: MetaData, prefix: str) -> dict[str, Table]:
        return {
            "rows": Table(
                f"{prefix}_rows",
                metadata,
                Column("position", BigInteger, primary_key=True, autoincrement=False),
                CheckConstraint("position <> 5", name=f"{prefix}_not_5"),
            )
        }

    def apply(self, batch: Batch, recorded: Recorded) -> None:
        batch.put("rows", {"position": recorded.position})


def test_a_batch_refused_when_written_is_applied_up_to_the_event_refused(
    container: Container,
) -> None:
    region = container.region
    for layer in ("basic", "major"):
        for scheme in ("resident", "employee"):
            region.open_fund(agency(), scheme=scheme, layer=layer, region_code="310000", name=layer)
    for period in ("2026-01", "2026-02"):
        region.receive_contribution(
            agency(),
            fund_id("resident", "basic", "310000"),
            amount=Decimal("1.00"),
            period=period,
            source="subsidy",
        )
    assert region.head() == 6
    with container.engine.begin() as connection:
        start_generation(connection, Picky)
    runner = Runner(event_log(container), container.engine, [Picky()], batch_size=50)

    with pytest.raises(ProjectionFailed) as failed:
        runner.catch_up()

    assert failed.value.position == 5
    with container.engine.connect() as connection:
        reached = live(connection, [Picky.name])[Picky.name]
    assert (reached.position, reached.error_position) == (4, 5)
    assert reached.error is not None and "IntegrityError" in reached.error
