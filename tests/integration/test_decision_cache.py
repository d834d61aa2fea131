"""Deciding from the in-process cache stays exact when another process writes.

Each `build()` is what one server process holds: its own decision cache. Two containers on one
database are two processes as far as the caches go (and the store's version key is the only
thing they share), so a stale cache is produced here deterministically, on both backends.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from application.region import Region
from application.tokens import NOT_IN_MEMORY
from domain.person import InsuredPerson
from interfaces.bootstrap import build
from interfaces.settings import Settings
from tests.conftest import Clock
from tests.support import agency, claim, enroll, institution, sign


@pytest.fixture
def other(settings: Settings, clock: Clock) -> Iterator[Region]:
    """A second process's region on the same database."""
    built = build(settings, clock=clock)
    try:
        yield built.region
    finally:
        built.close()


def _settle(region: Region, person_id: object, request_id: str, amount: str = "500.00") -> object:
    request = claim(person_id, amount, request_id=request_id)  # type: ignore[arg-type]
    return region.settle(institution(request_id=request_id), request)


def test_a_person_changed_by_another_process_is_decided_again_on_fresh_state(
    region: Region, other: Region
) -> None:
    sign(region)
    person_id = enroll(region)
    first = _settle(region, person_id, "A-1")  # this process now caches the person
    second = _settle(other, person_id, "B-1")  # the other process moves the person on
    third = _settle(region, person_id, "A-2")  # decided on a stale copy first: refused, redone
    stored = other.repository.get(person_id)
    assert isinstance(stored, InsuredPerson)
    paid = [r.result.basic_fund_pay for r in (first, second, third)]  # type: ignore[attr-defined]
    assert stored.year(2026).fund_paid_basic == sum(paid, Decimal(0))
    assert stored.version == 4  # enrolled + three claims, none lost, none twice


def test_an_agreement_suspended_by_another_process_rejects_claims_once_the_watch_looked(
    region: Region, other: Region
) -> None:
    agreement_id = sign(region)
    person_id = enroll(region)
    assert _settle(region, person_id, "A-1").status == "settled"  # type: ignore[attr-defined]
    other.suspend_agreement(
        agency(), agreement_id, reason="稽核中止", effective_from=date(2026, 3, 1)
    )
    region.watch.interval = 0.0  # the next claim looks at the log first
    refused = _settle(region, person_id, "A-2")
    assert refused.status == "rejected"  # type: ignore[attr-defined]
    assert refused.reason_codes == ("AGREEMENT_SUSPENDED",)  # type: ignore[attr-defined]


def test_a_token_revoked_by_another_process_authenticates_nobody_once_the_watch_looked(
    region: Region, other: Region
) -> None:
    issued = region.issue_token(agency("t"), role="auditor", name="audit")
    assert region.authenticate(issued.token) is not None  # cached in this process
    other.revoke_token(agency("r"), issued.token_id)
    region.watch.interval = 0.0
    assert region.authenticate(issued.token) is None


def test_memory_authenticates_only_what_it_holds_and_not_while_the_watch_is_due(
    region: Region, other: Region
) -> None:
    issued = other.issue_token(agency("t"), role="auditor", name="audit")
    region.watch.interval = 60.0
    region.watch.refresh()  # the first look
    assert region.authenticate_from_memory(issued.token) is NOT_IN_MEMORY  # never loaded
    actor = region.authenticate(issued.token)  # loads it
    assert actor is not None
    assert region.authenticate_from_memory(issued.token) == actor
    assert region.authenticate_from_memory("yb_" + "x" * 43) is NOT_IN_MEMORY
    assert region.authenticate_from_memory("not-a-token") is None
    other.revoke_token(agency("r"), issued.token_id)
    region.watch.interval = 0.0  # a look is due: memory does not answer
    assert region.authenticate_from_memory(issued.token) is NOT_IN_MEMORY
    assert region.authenticate(issued.token) is None  # the look found the revocation
    region.watch.interval = 60.0
    assert region.authenticate_from_memory(issued.token) in (None, NOT_IN_MEMORY)


def test_a_retried_request_is_answered_from_the_record_though_the_first_attempt_read_nothing(
    region: Region, other: Region
) -> None:
    sign(region)
    person_id = enroll(region)
    original = _settle(region, person_id, "SAME")
    again = _settle(other, person_id, "SAME")
    assert again.settlement_id == original.settlement_id  # type: ignore[attr-defined]
    assert again.created is False  # type: ignore[attr-defined]
    stored = region.repository.get(person_id)
    assert stored.version == 2  # the duplicate consumed nothing
