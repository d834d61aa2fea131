"""Auditors replay any aggregate as of a version or an instant, from its own events."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.errors import NotFound, ValidationFailed
from interfaces.bootstrap import Container
from tests.conftest import Clock
from tests.contract.scenario import record_history


def test_a_settlement_replayed_before_its_reversal_is_still_settled(
    container: Container, clock: Clock
) -> None:
    history = record_history(container.region, clock)
    region = container.region
    now = region.aggregate_as_of(history.reversed_claim)
    first = region.aggregate_as_of(history.reversed_claim, version=1)
    assert (now["version"], now["state"]["reversed"]) == (2, True)
    assert (first["version"], first["state"]["reversed"]) == (1, False)
    on_march_3 = region.aggregate_as_of(
        history.reversed_claim, at=datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    )
    assert on_march_3["state"]["reversed"] is False
    assert on_march_3["state"]["result"]["fund_pay"] == first["state"]["result"]["fund_pay"]


def test_a_replayed_person_shows_no_personal_data_in_clear(
    container: Container, clock: Clock
) -> None:
    history = record_history(container.region, clock)
    person = container.region.aggregate_as_of(history.senior, version=1)
    assert person["aggregate_type"] == "InsuredPerson"
    assert person["state"]["personal"] == {"subject_id": str(history.senior), "sealed": True}
    assert "测试" not in repr(person)


def test_replaying_before_an_aggregate_existed_or_beyond_its_versions_is_not_found(
    container: Container, clock: Clock
) -> None:
    history = record_history(container.region, clock)
    region = container.region
    with pytest.raises(NotFound):
        region.aggregate_as_of(history.senior, at=datetime(2020, 1, 1, tzinfo=UTC))
    with pytest.raises(NotFound):
        region.aggregate_as_of(history.senior, version=999)
    with pytest.raises(NotFound):
        region.aggregate_as_of(uuid4())
    with pytest.raises(ValidationFailed):
        region.aggregate_as_of(history.senior, version=1, at=datetime(2026, 3, 3, tzinfo=UTC))
