"""The access log: one JSON line per request (time, request id, actor id, role, route template,
status, latency) and nothing a client wrote — no path values, query strings, bodies or tokens."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from interfaces.http.access_log import ACCESS, log_config, redact
from tests.e2e.conftest import Api
from tests.e2e.scenario import claim, enroll, enrollment, settle, sign

FIELDS = {"time", "request_id", "actor_id", "role", "method", "route", "status", "latency_ms"}


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@contextmanager
def captured() -> Iterator[list[str]]:
    handler = Lines()
    level = ACCESS.level
    ACCESS.addHandler(handler)
    ACCESS.setLevel(logging.INFO)
    try:
        yield handler.lines
    finally:
        ACCESS.removeHandler(handler)
        ACCESS.setLevel(level)


def test_each_request_is_one_json_line_naming_the_route_not_the_values(api: Api) -> None:
    sign(api)
    person = enrollment()
    national_id = person["national_id"]

    with captured() as lines:
        enrolled = api.post("/v1/persons", person).json()
        person_id, position = enrolled["person_id"], enrolled["position"]
        api.post("/v1/persons/lookup", {"national_id": national_id}, role="institution")
        api.get(f"/v1/persons/{person_id}", role="auditor", min_position=position)
        api.get(f"/v1/persons/{national_id}")
        api.get("/v1/projections", role=None)

    records = [json.loads(line) for line in lines]
    assert [set(r) for r in records] == [FIELDS] * 5
    assert [(r["method"], r["route"], r["status"]) for r in records] == [
        ("POST", "/v1/persons", 201),
        ("POST", "/v1/persons/lookup", 200),
        ("GET", "/v1/persons/{person_id}", 200),
        ("GET", "/v1/persons/{person_id}", 404),
        ("GET", "/v1/projections", 401),
    ]
    assert [r["role"] for r in records] == ["agency", "institution", "auditor", "agency", None]
    assert all(r["latency_ms"] >= 0 and len(r["request_id"]) == 32 for r in records)
    written = "\n".join(lines)
    for secret in (national_id, person["name"], person_id, *api.tokens.values()):
        assert secret not in written


def test_a_commands_access_line_leads_to_its_events(api: Api) -> None:
    sign(api)
    person = enroll(api)

    with captured() as lines:
        settled = settle(api, claim(person))

    (record,) = [json.loads(line) for line in lines]
    (stored,) = api.container.region.recorder.select_notifications(settled["position"], 1)
    assert record["route"] == "/v1/settlements"
    assert record["request_id"].encode() in stored.state  # the event's correlation id


def test_the_service_logs_json_lines_to_stdout_instead_of_uvicorns_access_log() -> None:
    config = log_config()

    assert config["loggers"]["yibao.access"]["handlers"] == ["yibao_access"]
    assert config["handlers"]["yibao_access"]["stream"] == "ext://sys.stdout"
    assert config["loggers"]["uvicorn.access"]["handlers"] == []


def test_a_resident_id_in_a_raw_path_is_masked_where_one_is_still_logged() -> None:
    assert redact("/v1/persons/31010119610105001X?national_id=310101196101050014") == (
        "/v1/persons/3101**********001X"
    )
