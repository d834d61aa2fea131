"""Retention packages over HTTP: made, downloaded as a zip, valid, and any change is caught."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import bagit
import pytest

from interfaces.archive_package.verify import verify_package
from tests.e2e.conftest import Api
from tests.e2e.scenario import claim, enroll, head, settle, sign


def downloaded(api: Api, tmp_path: Path) -> Path:
    sign(api)
    settle(api, claim(enroll(api)))
    made = api.post(
        "/v1/archive/packages", {"since": "2026-01-01", "until": "2026-12-31"}, role="archivist"
    )
    assert made.status_code == 201, made.text
    package = made.json()
    response = api.get(f"/v1/archive/packages/{package['package_id']}/download", role="archivist")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert (len(response.content), hashlib.sha256(response.content).hexdigest()) == (
        package["bytes"],
        package["sha256"],
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as zipped:
        assert len(zipped.namelist()) == package["files"]
        zipped.extractall(tmp_path)
    return tmp_path / package["package_id"].replace("-", "")


def test_a_downloaded_package_is_a_valid_bag_that_verifies(api: Api, tmp_path: Path) -> None:
    bag = downloaded(api, tmp_path)
    bagit.Bag(str(bag)).validate()
    assert verify_package(bag).ok
    reads = api.fresh(
        "/v1/audit/events", head(api), role="auditor", event_type="PersonalDataAccess.Read"
    )
    assert any("retention package" in str(e["payload"]) for e in reads["items"])


def test_a_changed_payload_byte_fails_the_bag_and_the_chain(api: Api, tmp_path: Path) -> None:
    bag = downloaded(api, tmp_path)
    events = bag / "data" / "events.jsonl"
    raw = bytearray(events.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    events.write_bytes(bytes(raw))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(bag)).validate()
    assert not verify_package(bag).ok


def test_an_empty_period_is_refused_and_an_unknown_package_is_not_found(api: Api) -> None:
    empty = api.post(
        "/v1/archive/packages", {"since": "1990-01-01", "until": "1990-12-31"}, role="archivist"
    )
    assert (empty.status_code, empty.json()["code"]) == (422, "VALIDATION_ERROR")
    unknown = api.get(f"/v1/archive/packages/{'0' * 32}/download", role="archivist")
    assert unknown.status_code == 404
