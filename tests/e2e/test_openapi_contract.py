"""The published OpenAPI schema holds: generated requests to every operation never meet a
server error, and every answer has a documented status, content type and shape.

Two deterministic runs: a short one, and a longer one (`slow`, other examples) that `make
test` runs too; `-m "not slow"` leaves it out of a quick loop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
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
EXAMPLES_PER_OPERATION = 20
MORE_EXAMPLES_PER_OPERATION = 50


def role_for(path: str) -> str:
    if path.startswith("/v1/settlements"):
        return "institution"
    if path.startswith("/v1/audit"):
        return "auditor"
    return "archivist" if path.startswith("/v1/archive") else "agency"


def test_generated_requests_get_documented_answers_and_never_a_server_error(api: Api) -> None:
    exercised = exercise_every_operation(api, EXAMPLES_PER_OPERATION, seed=1)

    assert exercised >= 38


@pytest.mark.slow
def test_many_more_generated_requests_never_meet_a_server_error(api: Api) -> None:
    exercised = exercise_every_operation(api, MORE_EXAMPLES_PER_OPERATION, seed=2)

    assert exercised >= 38


def exercise_every_operation(api: Api, examples: int, *, seed: int) -> int:
    """Every operation of the published schema, `examples` generated requests each."""
    sign(api)
    enroll(api)
    schema = schemathesis.openapi.from_dict(api.client.get("/openapi.json").json())
    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) == len(results)

    # A generated `min_position` far ahead would wait 5 s each time: (almost) do not wait.
    with (
        serving(create_app(api.container, freshness_timeout=0.001)) as base_url,
        requests.Session() as session,  # one kept-alive connection for every request
    ):
        for operation in operations:
            headers = api.headers(role_for(operation.path))
            exercise(operation, Target(base_url, session), headers, examples, seed)
    return len(operations)


@dataclass(frozen=True)
class Target:
    base_url: str
    session: requests.Session


def exercise(
    operation: Any, target: Target, headers: dict[str, str], examples: int, chosen: int
) -> None:
    @seed(chosen)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def call(case: Any) -> None:
        response = case.call(base_url=target.base_url, session=target.session, headers=headers)
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


def test_the_contract_documents_lagging_views_idempotency_keys_and_claim_limits(api: Api) -> None:
    contract = api.client.get("/openapi.json").json()
    paths, schemas = contract["paths"], contract["components"]["schemas"]

    clearing = paths["/v1/budgets/{budget_id}/clearing"]["post"]["responses"]
    assert "PROJECTION_LAGGING" in clearing["503"]["description"]
    assert clearing["503"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    for path in (
        "/v1/clawbacks",
        "/v1/clawbacks/{clawback_id}/recoveries",
        "/v1/funds/{fund_id}/contributions",
        "/v1/funds/{fund_id}/disbursements",
        "/v1/persons/{person_id}/account-credits",
    ):
        headers = [p for p in paths[path]["post"]["parameters"] if p["in"] == "header"]
        assert [h["name"] for h in headers] == ["Idempotency-Key"], path
        assert "REQUEST_ID_REUSED" in headers[0]["description"]
    assert all("500" in op["responses"] for item in paths.values() for op in item.values())
    item = schemas["ClaimItemBody"]["properties"]
    integer, text = item["quantity"]["oneOf"]
    assert (integer["minimum"], integer["maximum"]) == (1, 9_999_999_999)
    assert text["pattern"] == r"^[0-9]{1,10}(\.[0-9]{1,4})?$"
    assert {item[f]["pattern"] for f in ("amount", "unit_price")} == {
        r"^[0-9]{1,13}(\.[0-9]{1,2})?$"
    }
    assert "positive total" in schemas["SettlementBody"]["properties"]["items"]["description"]
    download = paths["/v1/archive/packages/{package_id}/download"]["get"]["responses"]["200"]
    assert list(download["content"]) == ["application/zip"]  # what it sends (schemathesis ST105)
