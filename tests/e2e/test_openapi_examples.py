"""Every example the published OpenAPI schema gives for a request is sent to the server and
must succeed (issue #8, item 9): an example a client copies must work.

The examples are found in the schema itself — the request bodies' properties (and the nested
schemas they reference), a body's whole example, and the parameters — so an example added
later without a request here fails `test_every_request_example_of_the_schema_was_sent`.
Ids (person, agreement, budget …) are not examples: a deployment derives them, so they
come from the world the test builds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from application.context import SYSTEM, Actor, Context
from tests.conftest import Clock
from tests.e2e.conftest import OTHER_HOSPITAL, Api
from tests.e2e.scenario import claim, enroll, head, sign

Location = tuple[str, str]  # (component schema or "parameter", property or parameter name)


@dataclass
class Examples:
    """The request examples of a published schema, and which ones were sent."""

    schema: dict[str, Any]
    sent: set[Location] = field(default_factory=set)

    def component(self, name: str) -> dict[str, Any]:
        found: dict[str, Any] = self.schema["components"]["schemas"][name]
        return found

    def request_locations(self) -> set[Location]:
        found: set[Location] = set()
        for name in self._request_components():
            schema = self.component(name)
            if schema.get("examples"):
                found.add((name, "*"))
            found |= {
                (name, prop) for prop, s in schema.get("properties", {}).items() if _example(s)
            }
        for item in self.schema["paths"].values():
            for operation in item.values():
                for p in operation.get("parameters", []):
                    if _example(p["schema"]) is not None:
                        found.add(("parameter", p["name"]))
        return found

    def body(self, name: str, base: dict[str, Any]) -> dict[str, Any]:
        """`base` with every property example of component `name` in place."""
        examples = {}
        for prop, s in self.component(name).get("properties", {}).items():
            value = _example(s)
            if value is not None:
                examples[prop] = value
                self.sent.add((name, prop))
        return {**base, **examples}

    def whole(self, name: str) -> dict[str, Any]:
        """The component's own example (a whole request body)."""
        self.sent.add((name, "*"))
        example: dict[str, Any] = self.component(name)["examples"][0]
        return example

    def parameter(self, name: str) -> Any:
        for item in self.schema["paths"].values():
            for operation in item.values():
                for p in operation.get("parameters", []):
                    value = _example(p["schema"])
                    if p["name"] == name and value is not None:
                        self.sent.add(("parameter", name))
                        return value
        raise LookupError(name)

    def _request_components(self) -> set[str]:
        names: set[str] = set()
        pending = [
            op["requestBody"]["content"]["application/json"]["schema"]
            for item in self.schema["paths"].values()
            for op in item.values()
            if "requestBody" in op
        ]
        while pending:
            for ref in _refs(pending.pop()):
                name = ref.rsplit("/", 1)[1]
                if name not in names:
                    names.add(name)
                    pending.append(self.component(name))
        return names


def _example(schema: dict[str, Any]) -> Any:
    if schema.get("examples"):
        return schema["examples"][0]
    for option in schema.get("anyOf", []):
        if option.get("examples"):
            return option["examples"][0]
    return None


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


@dataclass
class Client:
    """Agency commands sent with the schema's example Idempotency-Key: one fresh agency token
    per command, so the one example key never collides with itself (keys are per token)."""

    api: Api
    examples: Examples

    def command(self, path: str, body: Any = None) -> Any:
        ctx = Context(Actor("examples", SYSTEM), request_id=f"token-{path}")
        token = self.api.container.region.issue_token(ctx, role="agency", name="examples").token
        headers = {
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": self.examples.parameter("Idempotency-Key"),
        }
        response = self.api.client.post(path, json=body, headers=headers)
        assert response.status_code in (200, 201), (path, body, response.text)
        return response.json()

    def call(self, path: str, body: Any, role: str) -> Any:
        response = self.api.post(path, body, role=role)
        assert response.status_code in (200, 201), (path, body, response.text)
        return response.json()


@pytest.fixture
def examples(api: Api) -> Examples:
    return Examples(api.client.get("/openapi.json").json())


def when(day: str) -> dict[str, Any]:
    return {"effective_from": day}


def test_every_request_example_succeeds(api: Api, clock: Clock, examples: Examples) -> None:
    clock.now = datetime(2026, 4, 1, 2, 0, tzinfo=UTC)  # the settlement example's day is past
    x, c = examples, Client(api, examples)
    # Funds: the region's resident basic fund is opened with the example region.
    fund = c.command(
        "/v1/funds",
        x.body("FundOpening", {"scheme": "resident", "layer": "basic", "name": "居民统筹"}),
    )["fund_id"]
    api.post(
        f"/v1/funds/{fund}/contributions",
        {"amount": "500000.00", "period": "2026-01", "source": "subsidy"},
    )
    c.command(f"/v1/funds/{fund}/contributions", x.body("Contribution", {"source": "employer"}))
    # The example institution signs with the example figures.
    signing = {"institution_name": "示范医院", "level": 1, "ownership": "public"}
    agreement = c.command(
        "/v1/agreements",
        x.body(
            "AgreementSigning", {**signing, "term_start": "2026-01-01", "term_end": "2026-12-31"}
        ),
    )["agreement_id"]
    c.command(
        f"/v1/agreements/{agreement}/renewals",
        x.body("AgreementRenewal", {"term_start": "2027-01-01", "term_end": "2027-12-31"}),
    )
    c.command(
        f"/v1/funds/{fund}/disbursements", x.body("Disbursement", {"agreement_id": agreement})
    )
    # The example person, found by the example ID, settles the example claim (and its preview).
    person = c.command(
        "/v1/persons",
        x.body(
            "PersonEnrollment",
            {
                "name": "示例",
                "birth_date": "1961-01-05",
                "scheme": "resident",
                "enrolled_on": "2025-01-02",
            },
        ),
    )["person_id"]
    found = c.call("/v1/persons/lookup", x.body("PersonLookup", {}), "agency")
    assert [i["person_id"] for i in found["items"]] == [person]
    settlement = {**x.whole("SettlementBody"), "person_id": person}
    c.call("/v1/settlements/preview", settlement, "institution")
    settled = c.call("/v1/settlements", settlement, "institution")
    assert (settled["fund_pay"], settled["cash_pay"]) == ("650.00", "650.00")
    item = x.body("ClaimItemBody", {"code": "D0002", "name": "床位费", "category": "A"})
    built = {
        **claim(person, "1.00"),
        "institution_code": x.body("SettlementBody", {})["institution_code"],
    }
    dearer = {**item, "code": "D0003", "unit_price": "5000.00", "amount": "5000.00"}
    big = c.call("/v1/settlements", {**built, "items": [item, dearer]}, "institution")
    c.call(
        f"/v1/settlements/{settled['settlement_id']}/reversal",
        x.body("ReversalBody", {"request_id": "REV-EXAMPLE"}),
        "institution",
    )
    # Clawback of the big claim, with the example multiple, recovered with the example.
    clawback = c.command(
        "/v1/clawbacks",
        x.body(
            "ClawbackAssessment",
            {
                "agreement_id": agreement,
                "settlement_ids": [big["settlement_id"]],
                "basis": "violation",
            },
        ),
    )["clawback_id"]
    c.command(f"/v1/clawbacks/{clawback}/recoveries", x.body("Recovery", {"method": "payment"}))
    # Persons: suspension, reinstatement, termination, account credit.
    suspended = enroll(api)
    c.command(
        f"/v1/persons/{suspended}/suspensions", x.body("PersonSuspension", when("2026-05-01"))
    )
    c.command(
        f"/v1/persons/{suspended}/reinstatements", x.body("Reinstatement", when("2026-05-10"))
    )
    c.command(
        f"/v1/persons/{enroll(api)}/terminations", x.body("PersonTermination", when("2026-09-01"))
    )
    employee = enroll(api, scheme="employee")
    c.command(f"/v1/persons/{employee}/account-credits", x.body("AccountCredit", {}))
    # Agreements: suspension and termination of others.
    other = sign(api, OTHER_HOSPITAL)
    c.command(
        f"/v1/agreements/{other}/suspensions",
        x.body("AgreementSuspension-Input", {**when("2026-07-01"), "voluntary": False}),
    )
    c.command(
        f"/v1/agreements/{sign(api, 'H31010100003')}/terminations",
        x.body("AgreementTermination", {**when("2026-09-01"), "ground": "closed"}),
    )
    # Budgets: the example budget fits the example agreement; another is adjusted to the example.
    budget = c.command(
        "/v1/budgets",
        x.body("BudgetIssue", {"agreement_id": agreement, "year": 2026, "scheme": "resident"}),
    )["budget_id"]
    c.command(f"/v1/budgets/{budget}/prepayments", x.body("Prepayment", {}))
    raised = api.post(
        "/v1/budgets",
        {
            "agreement_id": other,
            "year": 2026,
            "scheme": "resident",
            "amount": "1000.00",
            "basis": "预算",
        },
    ).json()["budget_id"]
    c.command(f"/v1/budgets/{raised}/adjustments", x.body("BudgetAdjustment", {}))
    # A closed year's clearing: confirmed, corrected and recovered with the examples.
    cleared = closed_year_budget(api)
    c.command(f"/v1/budgets/{cleared}/clearing/confirmation", x.body("ClearingConfirmation", {}))
    c.command(f"/v1/budgets/{cleared}/clearing/corrections", x.body("ClearingCorrection", {}))
    c.command(
        f"/v1/budgets/{cleared}/clearing/recoveries", x.body("Recovery", {"method": "offset"})
    )
    # Reads with the example institution code.
    code = x.parameter("institution_code")
    for path, params in (
        (f"/v1/balances/institutions/{code}", {}),
        ("/v1/reconciliation", {"institution_code": code, "date": "2026-04-01"}),
    ):
        response = api.get(path, min_position=head(api), **params)
        assert response.status_code == 200, response.text

    archive_examples(api, clock, x, settled["settlement_id"])

    assert ("PersonEnrollment", "national_id") in x.request_locations()
    assert x.request_locations() <= x.sent


def archive_examples(api: Api, clock: Clock, x: Examples, settlement: str) -> None:
    """A hold on the example institution, released; then, once the settlement is due, its
    disposal proposed and approved by a second archivist — all with the examples."""
    ctx = Context(Actor("examples", SYSTEM), request_id="archivist-2")
    second = api.container.region.issue_token(ctx, role="archivist", name="archivist-2")
    api.tokens["archivist_2"] = second.token
    scope = x.body("Scope", {})
    hold = api.post("/v1/archive/holds", x.body("HoldRequest", {"scope": scope}), role="archivist")
    assert hold.status_code == 201, hold.text
    released = api.post(
        f"/v1/archive/holds/{hold.json()['hold_id']}/release",
        x.body("ReleaseRequest", {}),
        role="archivist",
    )
    assert released.status_code == 201, released.text
    clock.now = datetime(2060, 1, 2, tzinfo=UTC)  # 30 years after the settlement's year
    api.fresh("/v1/archive/records", head(api), role="archivist")
    proposal = {"scope": {"aggregate_ids": [settlement]}}
    proposed = api.post(
        "/v1/archive/disposals", x.body("DisposalProposal", proposal), role="archivist"
    )
    assert proposed.status_code == 201, proposed.text
    approved = api.post(
        f"/v1/archive/disposals/{proposed.json()['disposal_id']}/approval",
        x.body("DisposalApproval", {}),
        role="archivist_2",
    )
    assert approved.status_code == 201, approved.text


def closed_year_budget(api: Api) -> str:
    """A 2025 budget of 100 000.00 under a 2025 agreement, fully prepaid with no claims, its
    clearing proposed (it leaves 80 000.00 owed back)."""
    body = {
        "institution_code": "H31010100004",
        "institution_name": "去年医院",
        "level": 1,
        "ownership": "public",
        "term_start": "2025-01-01",
        "term_end": "2025-12-31",
        "annual_budget": "100000.00",
    }
    agreement = api.post("/v1/agreements", body).json()["agreement_id"]
    budget = api.post(
        "/v1/budgets",
        {
            "agreement_id": agreement,
            "year": 2025,
            "scheme": "resident",
            "amount": "100000.00",
            "basis": "预算",
        },
    ).json()["budget_id"]
    for month in range(1, 13):
        assert (
            api.post(
                f"/v1/budgets/{budget}/prepayments", {"month": f"2025-{month:02d}"}
            ).status_code
            == 201
        )
    proposed = api.post(f"/v1/budgets/{budget}/clearing")
    assert proposed.status_code == 201, proposed.text
    return str(budget)
