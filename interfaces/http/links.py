"""OpenAPI links: which answer supplies the id another operation takes in its path, so that a
client (and a stateful test) can walk from creating a record to everything done with it."""

from __future__ import annotations

from typing import Any

# (creating operation, the id it answers) → the operations whose path takes that id.
LINKS: dict[tuple[str, str], tuple[str, list[tuple[str, str]]]] = {
    ("POST", "/v1/persons"): (
        "person_id",
        [
            ("GET", "/v1/persons/{person_id}"),
            ("GET", "/v1/balances/persons/{person_id}"),
            ("POST", "/v1/persons/{person_id}/suspensions"),
            ("POST", "/v1/persons/{person_id}/reinstatements"),
            ("POST", "/v1/persons/{person_id}/terminations"),
            ("POST", "/v1/persons/{person_id}/account-credits"),
        ],
    ),
    ("POST", "/v1/agreements"): (
        "agreement_id",
        [
            ("GET", "/v1/agreements/{agreement_id}"),
            ("POST", "/v1/agreements/{agreement_id}/renewals"),
            ("POST", "/v1/agreements/{agreement_id}/suspensions"),
            ("POST", "/v1/agreements/{agreement_id}/reinstatements"),
            ("POST", "/v1/agreements/{agreement_id}/terminations"),
        ],
    ),
    ("POST", "/v1/funds"): (
        "fund_id",
        [
            ("GET", "/v1/balances/funds/{fund_id}"),
            ("POST", "/v1/funds/{fund_id}/contributions"),
            ("POST", "/v1/funds/{fund_id}/disbursements"),
        ],
    ),
    ("POST", "/v1/settlements"): (
        "settlement_id",
        [
            ("GET", "/v1/settlements/{settlement_id}"),
            ("POST", "/v1/settlements/{settlement_id}/reversal"),
        ],
    ),
    ("POST", "/v1/budgets"): (
        "budget_id",
        [
            ("GET", "/v1/budgets/{budget_id}"),
            ("POST", "/v1/budgets/{budget_id}/adjustments"),
            ("POST", "/v1/budgets/{budget_id}/prepayments"),
            ("POST", "/v1/budgets/{budget_id}/clearing"),
            ("POST", "/v1/budgets/{budget_id}/clearing/confirmation"),
        ],
    ),
    ("POST", "/v1/clawbacks"): (
        "clawback_id",
        [("POST", "/v1/clawbacks/{clawback_id}/recoveries")],
    ),
    ("POST", "/v1/archive/holds"): (
        "hold_id",
        [("POST", "/v1/archive/holds/{hold_id}/release")],
    ),
    ("POST", "/v1/archive/disposals"): (
        "disposal_id",
        [("POST", "/v1/archive/disposals/{disposal_id}/approval")],
    ),
    ("POST", "/v1/archive/packages"): (
        "package_id",
        [("GET", "/v1/archive/packages/{package_id}/download")],
    ),
}


def add_links(schema: dict[str, Any]) -> None:
    """Add the links whose operations the schema has, to each creating operation's 201."""
    paths = schema["paths"]
    for (method, path), (field, targets) in LINKS.items():
        source = paths.get(path, {}).get(method.lower())
        if source is None or "201" not in source["responses"]:
            continue
        links = source["responses"]["201"].setdefault("links", {})
        for target_method, target_path in targets:
            target = paths.get(target_path, {}).get(target_method.lower())
            if target is not None:
                links[target["operationId"]] = {
                    "operationId": target["operationId"],
                    "parameters": {field: f"$response.body#/{field}"},
                }
