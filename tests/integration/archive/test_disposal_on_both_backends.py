"""Disposal on SQLite and PostgreSQL: keys destroyed, every process forgets at once."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from application.context import ARCHIVIST, Actor, Context
from domain.errors import PersonNotFound
from domain.person import InsuredPerson
from domain.settlement import Settlement
from interfaces.bootstrap import Container, build
from interfaces.settings import Settings
from tests.conftest import Clock
from tests.support import agency, claim, enroll, institution, national_id, sign

ALICE = Context(Actor("archivist-alice", ARCHIVIST))
BOB = Context(Actor("archivist-bob", ARCHIVIST))
BIRTH = date(1950, 4, 5)


def test_a_disposed_person_is_forgotten_by_a_second_process_at_once(
    container: Container, settings: Settings, clock: Clock
) -> None:
    region = container.region
    clock.now = datetime(1990, 3, 2, 2, 0, tzinfo=UTC)
    sign(region)
    nid = national_id(BIRTH)
    person = region.enroll(
        agency(),
        national_id=nid,
        name="王五",
        birth_date=BIRTH,
        scheme="resident",
        region_code="310000",
        enrolled_on=date(1990, 3, 1),
    ).person_id
    settled = region.settle(institution(), claim(person)).settlement_id
    other = build(settings, clock=clock)
    try:
        assert other.region.lookup_person(agency(), nid)[0].person_id == person
        warm = other.region.repository.get(settled)
        assert isinstance(warm, Settlement) and warm.diagnosis_code == "J06.900"
        clock.now = datetime(2100, 1, 2, tzinfo=UTC)
        proposed = region.propose_disposal(ALICE, [person, settled], appraisal_opinion="期满")
        region.approve_disposal(BOB, proposed.disposal_id, reason="同意销毁")
        with pytest.raises(PersonNotFound):
            other.region.lookup_person(agency(), nid)
        with pytest.raises(PersonNotFound):
            region.lookup_person(agency(), nid)
        cold = other.region.repository.get(settled)
        assert isinstance(cold, Settlement)
        assert (cold.diagnosis_code, cold.items[0].name) == (None, "")
        assert cold.result is not None and cold.result.total == warm.result.total  # type: ignore[union-attr]
        forgotten = other.region.repository.get(person)
        assert isinstance(forgotten, InsuredPerson) and forgotten.personal.is_shredded
    finally:
        other.close()


def test_a_serving_process_forgets_a_disposed_subjects_cached_key_by_itself(
    container: Container, settings: Settings, clock: Clock
) -> None:
    region = container.region
    clock.now = datetime(1990, 3, 2, 2, 0, tzinfo=UTC)
    sign(region)
    person = enroll(region)
    other = build(settings, clock=clock)
    try:
        assert other.keys.get(person) is not None  # cached in the other process
        other.start_forgetting(interval=0.02)
        clock.now = datetime(2100, 1, 2, tzinfo=UTC)
        proposed = region.propose_disposal(ALICE, [person], appraisal_opinion="期满")
        region.approve_disposal(BOB, proposed.disposal_id, reason="同意销毁")
        deadline = time.monotonic() + 5
        while other.keys.get(person) is not None:
            assert time.monotonic() < deadline, "the other process kept the key"
            time.sleep(0.02)
    finally:
        other.close()
