"""The access log never shows a resident ID: paths lose their query string and ID-shaped
segments are masked (bodies are never logged)."""

from __future__ import annotations

import io
import logging

import httpx

from interfaces.http.access_log import WithoutPersonalData, log_config
from interfaces.http.app import create_app
from tests.e2e.conftest import Api, serving
from tests.e2e.scenario import enroll, enrollment


def access_record(path: str) -> logging.LogRecord:
    args = ("127.0.0.1:5000", "GET", path, "1.1", 404)
    return logging.LogRecord(
        "uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d', args, None
    )


def test_a_resident_id_in_a_path_or_query_never_reaches_the_access_log() -> None:
    record = access_record("/v1/persons/31010119610105001X?national_id=310101196101050014")

    WithoutPersonalData().filter(record)

    line = record.getMessage()
    assert "310101196101050014" not in line and "31010119610105001X" not in line
    assert line == '127.0.0.1:5000 - "GET /v1/persons/3101**********001X HTTP/1.1" 404'


def test_the_service_filters_uvicorns_access_log() -> None:
    config = log_config()

    assert config["handlers"]["access"]["filters"] == ["personal_data"]
    assert config["filters"]["personal_data"]["()"] is WithoutPersonalData


def test_a_served_request_is_logged_without_its_query_string_or_a_resident_id(api: Api) -> None:
    person = enrollment()
    national_id = person["national_id"]
    enroll(api)
    written = io.StringIO()

    config = {"log_config": log_config(), "log_level": "info", "access_log": True}
    with serving(create_app(api.container), **config) as url:
        (handler,) = logging.getLogger("uvicorn.access").handlers
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(written)
        headers = api.headers("agency")
        httpx.get(f"{url}/v1/persons/{national_id}?national_id={national_id}", headers=headers)
        httpx.post(f"{url}/v1/persons/lookup", json={"national_id": national_id}, headers=headers)
        httpx.get(f"{url}/v1/projections?min_position=0", headers=headers)

    lines = written.getvalue().splitlines()
    masked = national_id[:4] + "*" * 10 + national_id[-4:]
    assert len(lines) == 3
    assert f'"GET /v1/persons/{masked} HTTP/1.1" 404' in lines[0]
    assert '"POST /v1/persons/lookup HTTP/1.1" 404' in lines[1]
    assert '"GET /v1/projections HTTP/1.1" 200' in lines[2]
    assert national_id not in written.getvalue() and "?" not in written.getvalue()
