"""The published OpenAPI schema holds: generated requests to every operation never meet a
server error, and every answer has a documented status, content type and shape."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from interfaces.http.app import create_app
from tests.e2e.conftest import Api, serving
from tests.e2e.scenario import enroll, sign


def no_server_error(ctx: Any, response: Any, case: Any) -> None:
    """5xx never, except the documented 503 PROJECTION_LAGGING of a `min_position` wait."""
    lagging = response.status_code == 503 and response.json()["code"] == "PROJECTION_LAGGING"
    assert response.status_code < 500 or lagging, response.text


CHECKS = [
    no_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 10


def role_for(path: str) -> str:
    if path.startswith("/v1/settlements"):
        return "institution"
    if path.startswith("/v1/audit"):
        return "auditor"
    return "archivist" if path.startswith("/v1/archive") else "agency"


def test_generated_requests_get_documented_answers_and_never_a_server_error(api: Api) -> None:
    sign(api)
    enroll(api)
    schema = schemathesis.openapi.from_dict(api.client.get("/openapi.json").json())
    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]

    # A generated `min_position` far ahead would wait 5 s each time: bound the wait instead.
    with serving(create_app(api.container, freshness_timeout=0.05)) as base_url:
        for operation in operations:
            exercise(operation, base_url, api.headers(role_for(operation.path)))

    assert len(operations) == len(results) >= 38


def exercise(operation: Any, base_url: str, headers: dict[str, str]) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def call(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    call()


def test_the_contract_is_published_with_docs_and_settlement_examples(api: Api) -> None:
    contract = api.client.get("/openapi.json").json()
    docs = api.client.get("/docs")

    schemas = contract["components"]["schemas"]
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert schemas["SettlementBody"]["examples"][0]["items"][0]["amount"] == "1300.00"
    assert schemas["SettlementResult"]["examples"][0]["ratio"] == "0.65"
    refusal = contract["paths"]["/v1/settlements"]["post"]["responses"]["409"]
    assert refusal["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
