"""After a day's work over HTTP — enrollments, lookups, settlements, reversals, suspensions,
audit reads and replays — no national ID, name or token is found in clear in any log line or in
any table of the database (events and snapshots included: personal data there is sealed)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Engine, MetaData, select

from tests.e2e.conftest import Api
from tests.e2e.scenario import claim, enrollment, head, open_fund, settle, sign

NAMES = ["欧阳明华", "司马青云", "Zhang Weiwei"]
CLIENT_SIDE = ("httpx", "httpcore")  # the test's own client logs the URLs it asks for


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith(CLIENT_SIDE):
            self.lines.append(self.format(record))


@contextmanager
def every_log_line() -> Iterator[list[str]]:
    handler = Everything()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    access = logging.getLogger("yibao.access")
    access.addHandler(handler)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        access.removeHandler(handler)
        root.setLevel(level)


def a_days_work(api: Api) -> list[dict[str, Any]]:
    sign(api)
    open_fund(api)
    people = [{**enrollment(date(1960 + i, 2, 3)), "name": n} for i, n in enumerate(NAMES)]
    for person in people:
        enrolled = api.post("/v1/persons", person)
        assert enrolled.status_code == 201, enrolled.text
        person_id = enrolled.json()["person_id"]
        api.post("/v1/persons/lookup", {"national_id": person["national_id"]}, role="institution")
        settled = settle(api, claim(person_id))
        api.post(
            f"/v1/settlements/{settled['settlement_id']}/reversal",
            {"request_id": f"REV-{person_id}", "reason": "录入错误"},
            role="institution",
        )
        api.post(
            f"/v1/persons/{person_id}/suspensions",
            {"reason": "断缴", "effective_from": "2026-05-01"},
        )
        api.get(f"/v1/persons/{person_id}", role="auditor", min_position=head(api))
        api.get(f"/v1/audit/aggregates/{person_id}", role="auditor")
        api.get(f"/v1/persons/{person['national_id']}")  # a careless client
    api.get("/v1/audit/events", role="auditor", min_position=head(api))
    return people


def every_value(engine: Engine) -> Iterator[tuple[str, str]]:
    """(table, value as text) for every cell of every table; bytes read both ways."""
    tables = MetaData()
    tables.reflect(engine)
    with engine.connect() as connection:
        for table in tables.sorted_tables:
            for row in connection.execute(select(table)):
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        raw = bytes(value)
                        yield table.name, raw.decode("utf-8", "replace")
                        yield table.name, raw.decode("latin-1")
                    elif value is not None:
                        yield table.name, str(value)


def test_no_national_id_name_or_token_is_in_a_log_line_or_a_table(api: Api) -> None:
    with every_log_line() as lines:
        people = a_days_work(api)

    secrets = [p["national_id"] for p in people] + NAMES + list(api.tokens.values())
    secrets += [json.dumps(n)[1:-1] for n in NAMES]  # as JSON writes them, \\u-escaped
    logged = "\n".join(lines)
    assert len(lines) > 20  # the access log was captured
    assert [s for s in secrets if s in logged] == []
    found = {(t, s) for t, text in every_value(api.container.engine) for s in secrets if s in text}
    assert found == set()
