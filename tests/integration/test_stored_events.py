"""What the event store holds: envelopes, encrypted personal data, snapshots, old payloads."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from application.personal_data import InMemoryKeyStore
from application.policy_files import load_policy_book
from application.region import Region
from domain.person import InsuredPerson
from interfaces.bootstrap import Container, build
from tests.conftest import Clock
from tests.support import agency, claim, enroll, institution, national_id, sign

FROZEN = Path(__file__).parents[1] / "fixtures" / "frozen-events-v1.json"


def test_every_stored_event_carries_the_audit_envelope(container: Container) -> None:
    region = container.region
    sign(region)
    person = enroll(region)
    region.settle(institution(request_id="REQ-1"), claim(person))
    region.reverse_settlement(
        institution(request_id="REV-1"),
        region.settle(institution(request_id="REQ-1"), claim(person)).settlement_id,
        reason="录入错误",
    )
    for notification in region.recorder.select_notifications(1, 100):
        audit = json.loads(notification.state)["audit"]["_data_"]
        assert audit["actor_id"] and audit["role"] in ("agency", "institution")
        assert audit["correlation_id"]
        if notification.topic.endswith("Settlement.Reversed"):
            assert (audit["reason"], audit["request_id"]) == ("录入错误", "REV-1")


def test_names_and_national_ids_never_reach_the_database_in_clear(container: Container) -> None:
    nid = national_id(date(1975, 11, 11))
    container.region.enroll(
        agency(),
        national_id=nid,
        name="李四",
        birth_date=date(1975, 11, 11),
        scheme="employee",
        region_code="310000",
        enrolled_on=date(2020, 3, 1),
    )
    with container.engine.connect() as connection:
        table = "stored_events" if container.engine.dialect.name == "sqlite" else "region_events"
        raw = b"".join(
            bytes(r[0]) for r in connection.exec_driver_sql(f"SELECT state FROM {table}")
        )
    assert nid.encode() not in raw and "李四".encode() not in raw


def test_destroying_the_key_shreds_personal_data_but_keeps_every_amount(
    container: Container, clock: Clock
) -> None:
    region = container.region
    sign(region)
    person = enroll(region)
    region.settle(institution(request_id="REQ-1"), claim(person))
    container.keys.destroy(person)

    fresh = build(container.settings, clock=clock)
    try:
        shredded = fresh.region.repository.get(person)
        assert isinstance(shredded, InsuredPerson)
        assert shredded.personal.is_shredded and shredded.personal.name is None
        assert fresh.region.person(person, 2026).fund_paid_basic == Decimal("650.00")
    finally:
        fresh.close()


def test_long_person_streams_are_snapshotted_and_reload_exactly(
    container: Container, clock: Clock
) -> None:
    region = container.region
    sign(region)
    person = enroll(region)
    for n in range(55):
        region.settle(institution(request_id=f"R{n}"), claim(person, "20.00", request_id=f"R{n}"))
    assert region.snapshots is not None
    snapshots = list(region.snapshots.get(person))
    assert [s.originator_version for s in snapshots] == [50]

    fresh = build(container.settings, clock=clock)
    try:
        summary = fresh.region.person(person, 2026)
        assert summary.version == 56
        assert summary.outpatient_deductible_used == Decimal("300.00")
        assert summary.fund_paid_basic == (55 * Decimal("20.00") - Decimal("300.00")) * Decimal(
            "0.65"
        )
    finally:
        fresh.close()


@pytest.mark.parametrize("frozen", json.loads(FROZEN.read_text()), ids=lambda f: f["topic"])
def test_events_stored_by_the_first_release_still_load(frozen: dict[str, object]) -> None:
    region = Region(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"},
        keys=InMemoryKeyStore(),
        policies=load_policy_book(),
        id_secret=b"x",
        region_code="310000",
    )
    stored = StoredEvent(
        originator_id=UUID(str(frozen["originator_id"])),
        originator_version=int(str(frozen["originator_version"])),
        topic=str(frozen["topic"]),
        state=json.dumps(frozen["state"]).encode(),
    )
    event = region.mapper.to_domain_event(stored)
    assert type(event).__qualname__ == str(frozen["topic"]).split(":")[1]
    assert event.audit.actor_id  # type: ignore[attr-defined]
    region.close()


def test_an_agreement_snapshot_of_the_first_release_still_loads(memory_region: Region) -> None:
    agreement_id = sign(memory_region, ownership="private")
    memory_region.suspend_agreement(
        agency(), agreement_id, reason="装修", effective_from=date(2026, 3, 1), voluntary=True
    )
    memory_region.take_snapshot(agreement_id)
    assert memory_region.snapshots is not None
    [stored] = memory_region.snapshots.recorder.select_events(agreement_id)
    # Rewrite it the way the first release stored it: no class version, no pending ends or
    # flag, every voluntary window listed.
    payload = json.loads(stored.state)
    state = payload["state"]
    state.pop("class_version", None)
    del state["pending_ends"], state["flagged_for_termination"]
    state["voluntary_suspensions"] = list(state["suspensions"])
    old = StoredEvent(
        stored.originator_id, stored.originator_version, stored.topic, json.dumps(payload).encode()
    )

    agreement = memory_region.mapper.to_domain_event(old).mutate(None)  # type: ignore[attr-defined]
    assert agreement.pending_ends == {"2026-03-01": date(2026, 8, 28)}
    assert agreement.flagged_for_termination is False


def test_a_first_release_claim_reads_with_its_health_data_sealed_in_one_value() -> None:
    (frozen,) = [f for f in json.loads(FROZEN.read_text()) if f["topic"].endswith(".Settled")]
    region = Region(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"},
        keys=InMemoryKeyStore(),
        policies=load_policy_book(),
        id_secret=b"x",
        region_code="310000",
    )
    stored = StoredEvent(
        originator_id=UUID(str(frozen["originator_id"])),
        originator_version=1,
        topic=str(frozen["topic"]),
        state=json.dumps(frozen["state"]).encode(),
    )
    event = region.mapper.to_domain_event(stored)
    assert event.health.diagnosis_code == frozen["state"]["diagnosis_code"]  # type: ignore[attr-defined]
    names = [i["_data_"]["name"] for i in frozen["state"]["items"]]
    assert list(event.health.item_names) == names  # type: ignore[attr-defined]
    assert all(i.name == "" for i in event.items)  # type: ignore[attr-defined]
    region.close()


def test_diagnosis_codes_and_item_names_never_reach_the_database_in_clear(
    container: Container,
) -> None:
    region = container.region
    sign(region)
    person = enroll(region)
    settled = region.settle(institution(), claim(person))
    with container.engine.connect() as connection:
        table = "stored_events" if container.engine.dialect.name == "sqlite" else "region_events"
        raw = b"".join(
            bytes(r[0]) for r in connection.exec_driver_sql(f"SELECT state FROM {table}")
        )
    assert b"J06.900" not in raw and "诊疗费".encode() not in raw
    loaded = region.settlement_aggregate(settled.settlement_id)
    assert (loaded.diagnosis_code, loaded.items[0].name) == ("J06.900", "诊疗费")
    assert b'"amount"' in raw  # amounts stay readable
