"""Scale-out by region (docs/scale-out.md): two pooling regions, each its own application and
gap-free log on its own database, and one merged view that follows both logs, tracking one
position per upstream log and committing its rows with those positions (exactly once).

The merged view here is the smallest one that shows the design — settled claims and fund pay
per region — kept in a database of its own. On both backends: three SQLite files, or three
PostgreSQL databases (two regional, one merged) created for the test and dropped after."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, create_engine, select
from sqlalchemy.engine import make_url

from application.context import AGENCY, INSTITUTION, Actor, Context
from application.region import Region
from application.settlements import SettlementRequest
from domain.settlement_rules import ClaimItem
from interfaces.bootstrap import Container, build
from interfaces.migrate import upgrade
from tests.conftest import Clock, create_pg_database, drop_pg_database, settings_for
from tests.support import national_id

REGIONS = {"310000": "H31010100001", "320000": "H32010100001"}

metadata = MetaData()
tracking = Table(
    "merged_tracking",
    metadata,
    Column("upstream", String(6), primary_key=True),
    Column("position", Integer, nullable=False),
)
settled = Table(
    "merged_settled",
    metadata,
    Column("region", String(6), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("fund_pay_fen", Integer, nullable=False),
)


class MergedView:
    """Follows several regions' logs; a position per upstream, rows and positions in one
    transaction per batch."""

    def __init__(self, engine: Engine, upstreams: dict[str, Region]) -> None:
        self.engine = engine
        self.upstreams = upstreams
        metadata.create_all(engine)

    def position(self, upstream: str) -> int:
        with self.engine.connect() as c:
            found = c.execute(select(tracking.c.position).where(tracking.c.upstream == upstream))
            return int(found.scalar() or 0)

    def catch_up(self, batch: int = 7) -> None:
        for code, region in self.upstreams.items():
            while page := region.recorder.select_notifications(self.position(code) + 1, batch):
                self._apply(code, region, page)

    def _apply(self, code: str, region: Region, page: list) -> None:  # type: ignore[type-arg]
        count, fen = 0, 0
        for notification in page:
            if notification.topic.endswith("Settlement.Settled"):
                result = region.settlement(notification.originator_id).result
                assert result is not None
                count, fen = count + 1, fen + int(result.fund_pay * 100)
        with self.engine.begin() as c:
            row = c.execute(select(settled).where(settled.c.region == code)).first()
            if row is None:
                c.execute(settled.insert().values(region=code, count=count, fund_pay_fen=fen))
            else:
                c.execute(
                    settled.update()
                    .where(settled.c.region == code)
                    .values(count=row.count + count, fund_pay_fen=row.fund_pay_fen + fen)
                )
            moved = c.execute(
                tracking.update().where(tracking.c.upstream == code).values(position=page[-1].id)
            )
            if moved.rowcount == 0:
                c.execute(tracking.insert().values(upstream=code, position=page[-1].id))

    def totals(self) -> dict[str, tuple[int, Decimal]]:
        with self.engine.connect() as c:
            return {
                r.region: (r.count, Decimal(r.fund_pay_fen) / 100)
                for r in c.execute(select(settled))
            }


@pytest.fixture
def two_regions(backend: str, tmp_path: Path, clock: Clock) -> Iterator[dict[str, Container]]:
    """A regional application per region, each on a database of its own."""
    containers: dict[str, Container] = {}
    throwaway: list[str] = []
    try:
        for code in REGIONS:
            folder = tmp_path / code
            folder.mkdir()
            settings, pg_url = settings_for(backend, folder)
            throwaway += [pg_url] if pg_url else []
            settings = settings.model_copy(update={"region_code": code})
            upgrade(settings)
            containers[code] = build(settings, clock=clock)
        yield containers
    finally:
        for container in containers.values():
            container.close()
        for url in throwaway:
            drop_pg_database(url)


@pytest.fixture
def merged_database(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """The merged view's own database, on the same backend as the regions'."""
    if backend == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'merged.sqlite'}")
        yield engine
        engine.dispose()
        return
    url = create_pg_database()
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    try:
        yield engine
    finally:
        engine.dispose()
        drop_pg_database(url)


def settle_some(region: Region, code: str, hospital: str, claims: int) -> Decimal:
    operator = Context(Actor("operator-1", AGENCY))
    region.sign_agreement(
        operator,
        institution_code=hospital,
        institution_name="医院",
        level=1,
        ownership="public",
        term_start=date(2026, 1, 1),
        term_end=date(2026, 12, 31),
        annual_budget=Decimal("1000000.00"),
    )
    person = region.enroll(
        operator,
        national_id=national_id(date(1961, 1, 5)),
        name="测试",
        birth_date=date(1961, 1, 5),
        scheme="resident",
        region_code=code,
        enrolled_on=date(2025, 1, 2),
    ).person_id
    paid = Decimal("0.00")
    for n in range(claims):
        amount = Decimal(300 + 100 * n)
        request = SettlementRequest(
            request_id=f"R{n}",
            institution_code=hospital,
            person_id=person,
            visit_id=f"V{n}",
            visit_type="outpatient",
            service_date=date(2026, 3, 1),
            diagnosis_code="J06.900",
            items=(ClaimItem("D1", "诊疗费", "A", Decimal(1), amount, amount),),
        )
        his = Context(Actor(f"his-{hospital}", INSTITUTION, hospital))
        result = region.settle(his, request).result
        assert result is not None
        paid += result.fund_pay
    return paid


def test_one_merged_view_follows_two_regions_logs_with_a_position_each(
    two_regions: dict[str, Container], merged_database: Engine
) -> None:
    regions = {code: c.region for code, c in two_regions.items()}
    assert len({c.settings.resolved_database_url() for c in two_regions.values()}) == 2
    view = MergedView(merged_database, regions)

    shanghai = settle_some(regions["310000"], "310000", REGIONS["310000"], 3)
    view.catch_up()
    jiangsu = settle_some(regions["320000"], "320000", REGIONS["320000"], 5)
    view.catch_up()
    view.catch_up()  # nothing new: nothing counted twice

    assert view.totals() == {"310000": (3, shanghai), "320000": (5, jiangsu)}
    assert {code: view.position(code) for code in regions} == {
        code: region.head() for code, region in regions.items()
    }
    assert regions["310000"].head() != regions["320000"].head()  # independent logs
