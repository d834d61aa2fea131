"""After an approved disposal nothing of the person or of the disposed settlements' health
data is left in clear — in any table, log line or fresh package — while every amount, the
balances, the reconciliation, the audit chain and every projection's rebuild are unchanged."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import column, inspect, select, table, text

from application.context import ARCHIVIST, Actor, Context
from application.settlements import SettlementRequest
from domain.settlement_rules import ClaimItem
from interfaces.archive_package.export import export_package
from interfaces.archive_package.spec import PackageSpec
from interfaces.bootstrap import Container
from projections.catalog import NAMES
from tests.conftest import Clock
from tests.contract.scenario import rebuilt_snapshot, runner_for, snapshot
from tests.support import HOSPITAL, agency, institution, national_id, sign

ALICE = Context(Actor("archivist-alice", ARCHIVIST))
BOB = Context(Actor("archivist-bob", ARCHIVIST))
BIRTH = date(1950, 4, 5)
NAME = "欧阳娜娜"
DIAGNOSIS = "Q87.410"
ITEM = "特殊基因检测甲"


def distinctive_claim(person_id: object, request_id: str) -> SettlementRequest:
    amount = Decimal("880.00")
    return SettlementRequest(
        request_id=request_id,
        institution_code=HOSPITAL,
        person_id=person_id,  # type: ignore[arg-type]
        visit_id=f"V-{request_id}",
        visit_type="outpatient",
        service_date=date(2026, 3, 10),
        diagnosis_code=DIAGNOSIS,
        items=(ClaimItem("G0001", ITEM, "B", Decimal(1), amount, amount),),
    )


def everything_in_the_database(container: Container) -> str:
    parts: list[str] = []
    with container.engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            columns = [c["name"] for c in inspect(connection).get_columns(name)]
            rows = connection.execute(
                select(*(column(c) for c in columns)).select_from(table(name))
            )
            for row in rows:
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        parts.append(bytes(value).decode("utf-8", "replace"))
                    else:
                        parts.append(str(value))
    return "\n".join(parts)


def everything_in(directory: Path) -> str:
    return "\n".join(p.read_text("utf-8", "replace") for p in directory.rglob("*") if p.is_file())


def clear_personal_data(found: str, nid: str) -> list[str]:
    needles = [NAME, nid, BIRTH.isoformat(), DIAGNOSIS, ITEM]
    escaped = [json.dumps(n)[1:-1] for n in needles]
    return [n for n in (*needles, *escaped) if n in found]


def test_after_disposal_no_personal_data_is_left_and_every_figure_stands(
    container: Container, clock: Clock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    region, views = container.region, container.views
    clock.now = datetime(1990, 3, 2, 2, 0, tzinfo=UTC)
    sign(region)
    nid = national_id(BIRTH)
    person = region.enroll(
        agency(),
        national_id=nid,
        name=NAME,
        birth_date=BIRTH,
        scheme="resident",
        region_code="310000",
        enrolled_on=date(1990, 3, 1),
    ).person_id
    settled = [
        region.settle(institution(request_id=r), distinctive_claim(person, r)).settlement_id
        for r in ("REQ-A", "REQ-B")
    ]
    region.reverse_settlement(institution(request_id="REV-B"), settled[1], reason="重复结算")
    runner_for(container).catch_up()
    assert region.settlement_aggregate(settled[0]).diagnosis_code == DIAGNOSIS
    kept = {name: snapshot(container.engine, name) for name in ("balances", "reconciliation")}

    clock.now = datetime(2128, 1, 2, 2, 0, tzinfo=UTC)
    proposed = region.propose_disposal(ALICE, [person, *settled], appraisal_opinion="期满销毁")
    region.approve_disposal(BOB, proposed.disposal_id, reason="鉴定小组批准")
    runner_for(container).catch_up()
    package = tmp_path / "package"
    export_package(
        container.engine,
        views,
        PackageSpec(date(1990, 1, 1), date(2128, 12, 31)),
        package,
        source_organisation="test",
    )

    assert clear_personal_data(everything_in_the_database(container), nid) == []
    assert clear_personal_data(everything_in(package), nid) == []
    assert clear_personal_data("\n".join(r.getMessage() for r in caplog.records), nid) == []
    with container.engine.connect() as connection:
        keys = connection.execute(
            text("SELECT COUNT(*) FROM personal_data_keys WHERE key IS NOT NULL")
        ).scalar_one()
    assert keys == 0  # the person's and both settlements' keys are gone
    assert {n: snapshot(container.engine, n) for n in kept} == kept
    assert region.settlement_aggregate(settled[0]).diagnosis_code is None
    assert region.settlement(settled[0]).result.total == Decimal("880.00")  # type: ignore[union-attr]
    assert views.verify_chain(None, None).ok
    for name in NAMES:
        live = snapshot(container.engine, name)
        assert rebuilt_snapshot(container, name) == live, name
