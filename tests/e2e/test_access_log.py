"""The access log never shows a resident ID: paths lose their query string and ID-shaped
segments are masked (bodies are never logged)."""

from __future__ import annotations

import logging

from interfaces.http.access_log import WithoutPersonalData, log_config


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
