"""The published contract: problem+json for every refusal, examples for settlement."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from interfaces.http.errors import PROBLEM
from interfaces.http.links import add_links
from interfaces.http.schemas.responses import Problem

_REFUSALS = {
    "401": "missing, unknown or revoked token (UNAUTHORIZED)",
    "403": "wrong role, or another institution's data (FORBIDDEN)",
    "404": "unknown id or route (NOT_FOUND, PERSON_NOT_FOUND)",
    "422": "malformed input (VALIDATION_ERROR, naming the field; `body` for a body that is not "
    "strict JSON) or a business rule refuses",
    "500": "the service failed (INTERNAL_ERROR); nothing more is said, the failure is logged",
    "503": "the database is unreachable (DATABASE_UNAVAILABLE, with Retry-After)",
}
_COMMAND_REFUSALS = {
    "409": "conflicts with what is recorded (ALREADY_…, REQUEST_ID_REUSED)",
    "413": "the body is over 1 MiB (PAYLOAD_TOO_LARGE)",
}
_QUERY_REFUSALS = {
    "503": "the database is unreachable (DATABASE_UNAVAILABLE, with Retry-After), or the views "
    "did not reach min_position in 5 s (PROJECTION_LAGGING)"
}
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def install(app: FastAPI) -> None:
    """Replace the generated schema with one whose refusals are all problem+json."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = contract(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def contract(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(problem.pop("$defs", {}))
    components["Problem"] = problem
    for path in schema["paths"].values():
        for method, operation in path.items():
            _refusals(operation, method)
    add_links(schema)
    return schema


def _refusals(operation: dict[str, Any], method: str) -> None:
    responses = operation.setdefault("responses", {})
    extra = _COMMAND_REFUSALS if method == "post" else _QUERY_REFUSALS
    for status, description in (_REFUSALS | extra).items():
        response = responses.setdefault(status, {})
        own = response.get("description") if status == "503" else None
        response["description"] = f"{own}; or {description}" if own else description
    for status, response in responses.items():
        if int(status) >= 400:
            response["content"] = {PROBLEM: {"schema": _PROBLEM_REF}}
