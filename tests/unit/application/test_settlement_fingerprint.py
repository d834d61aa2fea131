"""A settlement keeps a keyed digest of its request: a retry is recognised, yet the sealed
diagnosis and item names cannot be guessed back from the digest once their key is destroyed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from application.region import Region
from application.settlements import SettlementRequest
from domain.errors import RequestIdReused
from domain.settlement import Settlement
from tests.support import claim, enroll, institution, sign


def test_the_stored_digest_needs_the_deployment_secret(memory_region: Region) -> None:
    sign(memory_region)
    request = claim(enroll(memory_region))
    settled = memory_region.settle(institution(), request)
    stored = memory_region.repository.get(settled.settlement_id)

    assert isinstance(stored, Settlement)
    assert stored.fingerprint == request.fingerprint(memory_region.id_secret)
    assert stored.fingerprint != request.first_release_fingerprint()
    assert request.fingerprint(b"another deployment") != stored.fingerprint


def test_a_first_release_settlement_still_answers_its_retries(
    memory_region: Region, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign(memory_region)
    request = claim(enroll(memory_region))
    with monkeypatch.context() as first_release:  # recorded with the plain digest of old
        first_release.setattr(
            SettlementRequest, "fingerprint", lambda r, key: r.first_release_fingerprint()
        )
        settled = memory_region.settle(institution(), request)

    retried = memory_region.settle(institution(), request)
    assert (retried.settlement_id, retried.created) == (settled.settlement_id, False)
    with pytest.raises(RequestIdReused):
        memory_region.settle(institution(), replace(request, diagnosis_code="K35.800"))
