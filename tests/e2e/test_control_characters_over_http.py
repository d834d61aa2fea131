"""No control character gets in: not in a body, a query string or a header. A NUL in a visit id
was once stored and stopped a projection on PostgreSQL; free text may hold line feeds only."""

from __future__ import annotations

import inspect
import re
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from interfaces.http.schemas import requests
from interfaces.http.schemas.types import Inbound
from tests.e2e.conftest import Api
from tests.e2e.scenario import claim, enroll, enrollment, head, sign
from tests.support import HOSPITAL

CONTROLS = ["\u0000", "\t", "\r", "\u001f", "\u007f", "\u0085", "\u009f"]


def test_a_control_character_in_a_claims_ids_and_codes_is_refused_naming_the_field(
    api: Api,
) -> None:
    sign(api)
    body = claim(enroll(api))
    before = head(api)
    bad = {
        "visit_id": {**body, "visit_id": "V-1\u0000"},
        "request_id": {**body, "request_id": "REQ-\t1"},
        "diagnosis_code": {**body, "diagnosis_code": "J06.900\n"},
        "items[0].code": {**body, "items": [{**body["items"][0], "code": "D\u007f1"}]},
        "items[0].name": {**body, "items": [{**body["items"][0], "name": "诊疗费\u0085"}]},
    }

    settled = {f: api.post("/v1/settlements", b, role="institution") for f, b in bad.items()}
    previewed = api.post("/v1/settlements/preview", bad["visit_id"], role="institution")

    assert {f: (a.status_code, a.json()["code"]) for f, a in settled.items()} == {
        f: (422, "VALIDATION_ERROR") for f in bad
    }
    assert {f: a.json()["field"] for f, a in settled.items()} == {f: f for f in bad}
    assert (previewed.status_code, previewed.json()["field"]) == (422, "visit_id")
    assert head(api) == before


def test_names_and_national_ids_take_no_control_character(api: Api) -> None:
    body = enrollment()
    before = head(api)

    named = [api.post("/v1/persons", {**body, "name": f"张{c}三"}) for c in CONTROLS]
    identified = [
        api.post("/v1/persons/lookup", {"national_id": body["national_id"] + c}) for c in CONTROLS
    ]

    assert [(a.status_code, a.json()["field"]) for a in named] == [(422, "name")] * len(CONTROLS)
    assert [(a.status_code, a.json()["field"]) for a in identified] == [(422, "national_id")] * len(
        CONTROLS
    )
    assert head(api) == before


def test_a_reason_may_hold_line_feeds_but_no_other_control_character(api: Api) -> None:
    person = enroll(api)
    path = f"/v1/persons/{person}/suspensions"

    refused = [
        api.post(path, {"reason": f"断缴{c}补缴", "effective_from": "2026-04-01"})
        for c in ("\r\n", "\t", "\u0000")
    ]
    accepted = api.post(path, {"reason": "断缴\n待补缴", "effective_from": "2026-04-01"})

    assert [(r.status_code, r.json()["field"]) for r in refused] == [(422, "reason")] * 3
    assert accepted.status_code == 201


def test_a_trailing_control_character_is_refused_not_trimmed(api: Api) -> None:
    sign(api)
    body = claim(enroll(api))

    answer = api.post("/v1/settlements", {**body, "visit_id": "V-9\t"}, role="institution")

    assert (answer.status_code, answer.json()["field"]) == (422, "visit_id")


def test_a_control_character_in_a_query_parameter_is_refused_naming_it(api: Api) -> None:
    answers = {
        "event_type": api.get("/v1/audit/events", role="auditor", event_type="\u0000"),
        "actor": api.get("/v1/audit/events", role="auditor", actor="token:\u001f"),
        "record_class": api.get("/v1/archive/records", role="archivist", record_class="a\u0000"),
        "after": api.get("/v1/archive/volumes", role="archivist", after="2026-03-a\u0000"),
    }

    assert {p: (a.status_code, a.json()["field"]) for p, a in answers.items()} == {
        p: (422, p) for p in answers
    }


def test_every_string_query_parameter_of_the_contract_refuses_a_nul(api: Api) -> None:
    contract = api.client.get("/openapi.json").json()
    refused: dict[tuple[str, str], Any] = {}

    for path, item in contract["paths"].items():
        for parameter in item.get("get", {}).get("parameters", []):
            if parameter["in"] == "query" and _is_string(parameter["schema"]):
                url = _concrete(path)
                answer = api.get(url, role=_role(path), **{parameter["name"]: "1\u0000"})
                fields = [e["field"] for e in answer.json().get("errors") or []]
                refused[(path, parameter["name"])] = (
                    answer.status_code,
                    parameter["name"] in fields,
                )

    assert len(refused) >= 10
    assert {k: v for k, v in refused.items() if v != (422, True)} == {}


def test_every_string_field_of_every_request_body_refuses_control_characters() -> None:
    bodies = [
        model
        for _, model in inspect.getmembers(requests, inspect.isclass)
        if issubclass(model, Inbound) and model is not Inbound
    ]

    accepting = [
        f"{model.__name__}.{name}"
        for model in bodies
        for name, field in model.model_fields.items()
        for control in ("\u0000", "\t")
        if _accepts(field.rebuild_annotation(), f"A1{control}")
    ]

    assert len(bodies) >= 20
    assert accepting == []


def _accepts(annotation: Any, value: str) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return False
    try:
        TypeAdapter(annotation).validate_python(value)
    except ValidationError:
        return False
    return True


def _concrete(path: str) -> str:
    """Any well-formed path value: the query is validated before the route looks anything up."""
    concrete = path.replace("{institution_code}", HOSPITAL)
    return re.sub(r"\{[a-z_]+\}", "00000000-0000-4000-8000-000000000000", concrete)


def _is_string(schema: dict[str, Any]) -> bool:
    options = schema.get("anyOf", [schema])
    return any(o.get("type") == "string" for o in options)


def _role(path: str) -> str:
    if path.startswith("/v1/audit"):
        return "auditor"
    return "archivist" if path.startswith("/v1/archive") else "agency"


def test_a_lone_surrogate_is_refused_as_no_unicode_text(api: Api) -> None:
    headers = {**api.headers("agency"), "Content-Type": "application/json"}

    answer = api.client.post(
        "/v1/persons/lookup", content=b'{"national_id": "3101\\ud800"}', headers=headers
    )

    assert (answer.status_code, answer.json()["field"]) == (422, "national_id")
