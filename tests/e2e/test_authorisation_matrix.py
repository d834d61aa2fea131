"""Every route × every caller: no token, an unknown or a revoked token → 401; a role the route
does not admit, or another institution's data → 403; an admitted caller → the route's success
status."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from application.context import SYSTEM, Actor, Context
from tests.e2e.conftest import OTHER_HOSPITAL, ROLES, Api
from tests.e2e.scenario import claim, enroll, enrollment, open_fund, settle, sign
from tests.support import HOSPITAL

EVERYONE = frozenset(ROLES)
AGENCY = frozenset({"agency"})
HOSPITAL_ONLY = frozenset({"institution"})
AUDITOR = frozenset({"auditor"})
ARCHIVIST = frozenset({"archivist"})
# API.md: agency, institution, auditor (any institution: a patient goes to any hospital).
PERSON_READERS = frozenset({"agency", "institution", "other_institution", "auditor"})
_fresh = itertools.count(1)
Body = Callable[[dict[str, str]], Any]


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    allowed: frozenset[str]
    body: Body | None = None
    ok: int = 200

    def call(self, api: Api, world: dict[str, str], role: str | None) -> int:
        path = self.path.format(**world)
        if self.method == "GET":
            return api.get(path, role=role).status_code
        body = self.body(world) if self.body else None
        return api.post(path, body, role=role).status_code


def when(day: str, **more: Any) -> Body:
    return lambda _: {"reason": "矩阵", "effective_from": day, **more}


def fresh_code() -> str:
    return f"H3101019{next(_fresh):04d}"


def fresh_claim(w: dict[str, str]) -> dict[str, Any]:
    return claim(w["person"], "100.00")


PERIOD = {"since": "2026-01-01", "until": "2026-12-31"}


def hold_on(key: str) -> Body:
    return lambda w: {"scope": {"person_id": w[key]}, "reason": "矩阵", "legal_basis": "稽核封存"}


def dispose_of(key: str) -> Body:
    return lambda w: {"scope": {"aggregate_ids": [w[key]]}, "appraisal_opinion": "矩阵"}


ROUTES = [
    Route("POST", "/v1/persons", AGENCY, lambda _: enrollment(), 201),
    Route(
        "POST",
        "/v1/persons/lookup",
        frozenset({"agency", "institution", "other_institution", "auditor"}),
        lambda w: {"national_id": w["national_id"]},
    ),
    Route("GET", "/v1/persons/{person}", PERSON_READERS),
    Route("POST", "/v1/persons/{to_suspend}/suspensions", AGENCY, when("2026-05-01"), 201),
    Route("POST", "/v1/persons/{suspended}/reinstatements", AGENCY, when("2026-05-10"), 201),
    Route("POST", "/v1/persons/{to_terminate}/terminations", AGENCY, when("2026-09-01"), 201),
    Route(
        "POST",
        "/v1/persons/{employee}/account-credits",
        AGENCY,
        lambda _: {"amount": "10.00", "period": "2026-02"},
        201,
    ),
    Route(
        "POST",
        "/v1/agreements",
        AGENCY,
        lambda _: {
            "institution_code": fresh_code(),
            "institution_name": "新机构",
            "level": 1,
            "ownership": "private",
            "term_start": "2026-01-01",
            "term_end": "2026-12-31",
            "annual_budget": "100.00",
        },
        201,
    ),
    Route("GET", "/v1/agreements/{agreement}", frozenset({"agency", "institution", "auditor"})),
    Route(
        "POST",
        "/v1/agreements/{agreement}/renewals",
        AGENCY,
        lambda _: {"term_start": "2027-01-01", "term_end": "2027-12-31", "annual_budget": "1.00"},
        201,
    ),
    Route("POST", "/v1/agreements/{to_suspend_a}/suspensions", AGENCY, when("2026-07-01"), 201),
    Route("POST", "/v1/agreements/{suspended_a}/reinstatements", AGENCY, when("2026-05-10"), 201),
    Route(
        "POST",
        "/v1/agreements/{to_terminate_a}/terminations",
        AGENCY,
        when("2026-09-01", ground="closed"),
        201,
    ),
    Route(
        "POST",
        "/v1/funds",
        AGENCY,
        lambda _: {
            "scheme": "employee",
            "layer": "major",
            "region_code": f"31{next(_fresh):04d}",
            "name": "x",
        },
        201,
    ),
    Route(
        "POST",
        "/v1/funds/{fund}/contributions",
        AGENCY,
        lambda _: {"amount": "5.00", "period": "2026-01", "source": "subsidy"},
        201,
    ),
    Route(
        "POST",
        "/v1/funds/{fund}/disbursements",
        AGENCY,
        lambda w: {"agreement_id": w["agreement"], "period": "2026-02", "amount": "1.00"},
        201,
    ),
    Route(
        "POST",
        "/v1/budgets",
        AGENCY,
        lambda w: {
            "agreement_id": w["agreement"],
            "year": 2026,
            "scheme": "employee",
            "amount": "1200.00",
            "basis": "年度基金预算",
        },
        201,
    ),
    Route("GET", "/v1/budgets/{budget}", frozenset({"agency", "institution", "auditor"})),
    Route(
        "POST",
        "/v1/budgets/{budget}/adjustments",
        AGENCY,
        lambda _: {"amount": "1300.00", "reason": "调整"},
        201,
    ),
    Route("POST", "/v1/budgets/{budget}/prepayments", AGENCY, lambda _: {"month": "2026-03"}, 201),
    Route("POST", "/v1/budgets/{budget}/clearing", AGENCY, None, 422),
    Route(
        "POST", "/v1/budgets/{budget}/clearing/confirmation", AGENCY, lambda _: {"reason": "x"}, 422
    ),
    Route(
        "POST",
        "/v1/budgets/{budget}/clearing/corrections",
        AGENCY,
        lambda _: {"fund_pays": "1.00", "reason": "x"},
        422,  # not confirmed: the role passed
    ),
    Route(
        "POST",
        "/v1/budgets/{budget}/clearing/recoveries",
        AGENCY,
        lambda _: {"amount": "1.00", "method": "payment"},
        422,  # nothing owed back: the role passed
    ),
    Route(
        "POST",
        "/v1/clawbacks",
        AGENCY,
        lambda w: {
            "agreement_id": w["agreement"],
            "settlement_ids": [w["clawable"]],
            "amount": "0.01",
            "basis": "violation",
            "penalty_multiple": "1",
            "reason": "违规",
        },
        201,
    ),
    Route(
        "POST",
        "/v1/clawbacks/{clawback}/recoveries",
        AGENCY,
        lambda _: {"amount": "0.01", "method": "payment"},
        201,
    ),
    Route("POST", "/v1/settlements/preview", frozenset({"agency", "institution"}), fresh_claim),
    Route("POST", "/v1/settlements", HOSPITAL_ONLY, fresh_claim, 201),
    Route("GET", "/v1/settlements/{settlement}", frozenset({"agency", "institution", "auditor"})),
    Route(
        "POST",
        "/v1/settlements/{to_reverse}/reversal",
        HOSPITAL_ONLY,
        lambda _: {"request_id": f"REV-{next(_fresh)}", "reason": "撤销"},
        201,
    ),
    Route("GET", "/v1/balances/funds/{fund}", frozenset({"agency", "auditor"})),
    Route(
        "GET",
        "/v1/balances/institutions/" + HOSPITAL,
        frozenset({"agency", "institution", "auditor"}),
    ),
    Route("GET", "/v1/balances/persons/{person}", PERSON_READERS),
    Route(
        "GET",
        f"/v1/reconciliation?institution_code={HOSPITAL}&date=2026-03-02",
        frozenset({"agency", "institution", "auditor"}),
    ),
    Route("GET", "/v1/projections", EVERYONE),
    Route("GET", "/v1/audit/events", AUDITOR),
    Route("GET", "/v1/audit/aggregates/{person}", AUDITOR),
    Route("GET", "/v1/audit/verify", AUDITOR),
    Route("GET", "/v1/archive/records", frozenset({"archivist", "auditor"})),
    Route("GET", "/v1/archive/volumes", frozenset({"archivist", "auditor"})),
    Route("GET", "/v1/archive/holds", frozenset({"archivist", "auditor"})),
    Route("GET", "/v1/archive/disposals", frozenset({"archivist", "auditor"})),
    Route("POST", "/v1/archive/holds", ARCHIVIST, hold_on("person"), 201),
    Route("POST", "/v1/archive/packages", ARCHIVIST, lambda _: PERIOD, 201),
    Route("GET", "/v1/archive/packages/{package}/download", frozenset({"archivist", "auditor"})),
    Route("POST", "/v1/archive/holds/{hold}/release", ARCHIVIST, lambda _: {"reason": "矩阵"}, 201),
    # Admitted, then refused by the rules: nothing in this world is due yet.
    Route("POST", "/v1/archive/disposals", ARCHIVIST, dispose_of("settlement"), 422),
    Route(
        "POST",
        "/v1/archive/disposals/{person}/approval",
        ARCHIVIST,
        lambda _: {"reason": "矩阵"},
        404,
    ),
]


def build_world(api: Api) -> dict[str, str]:
    agreement = sign(api)
    sign(api, OTHER_HOSPITAL)
    private = [sign(api, fresh_code(), ownership="private") for _ in range(3)]
    fund = open_fund(api)
    open_fund(api, layer="major")
    api.post(
        f"/v1/funds/{fund}/contributions",
        {"amount": "100.00", "period": "2026-01", "source": "employer"},
    )
    body = enrollment()
    person = api.post("/v1/persons", body).json()["person_id"]
    suspended = enroll(api)
    api.post(f"/v1/persons/{suspended}/suspensions", when("2026-05-01")({}))
    api.post(f"/v1/agreements/{private[1]}/suspensions", when("2026-05-01")({}))
    clawable = settle(api, claim(person, "5000.00"))["settlement_id"]
    world = {
        "agreement": agreement,
        "fund": fund,
        "person": person,
        "national_id": body["national_id"],
        "to_suspend": enroll(api),
        "suspended": suspended,
        "to_terminate": enroll(api),
        "employee": enroll(api, date(1990, 1, 20), "employee"),
        "to_suspend_a": private[0],
        "suspended_a": private[1],
        "to_terminate_a": private[2],
        "clawable": clawable,
        "settlement": settle(api, claim(person))["settlement_id"],
        "to_reverse": settle(api, claim(person))["settlement_id"],
    }
    budget = api.post(
        "/v1/budgets",
        {
            "agreement_id": agreement,
            "year": 2026,
            "scheme": "resident",
            "amount": "1200.00",
            "basis": "年度基金预算",
        },
    )
    world["budget"] = budget.json()["budget_id"]
    clawback = api.post(
        "/v1/clawbacks",
        {
            "agreement_id": agreement,
            "settlement_ids": [clawable],
            "amount": "1.00",
            "basis": "violation",
            "penalty_multiple": "1",
            "reason": "违规",
        },
    )
    world["clawback"] = clawback.json()["clawback_id"]
    hold = api.post("/v1/archive/holds", hold_on("person")(world), role="archivist")
    world["hold"] = hold.json()["hold_id"]
    package = api.post("/v1/archive/packages", PERIOD, role="archivist")
    world["package"] = package.json()["package_id"]
    assert api.get("/v1/projections", min_position=api.container.region.head()).status_code == 200
    return world


UNAUTHENTICATED = (None, "unknown", "revoked")


def expected(route: Route, role: str | None) -> int:
    if role in UNAUTHENTICATED:
        return 401
    return route.ok if role in route.allowed else 403


@pytest.fixture
def world(api: Api) -> dict[str, str]:
    api.tokens["unknown"] = "yb_" + "x" * 43
    api.tokens["revoked"] = revoked_agency_token(api)
    return build_world(api)


def revoked_agency_token(api: Api) -> str:
    ctx = Context(Actor("test-operator", SYSTEM), request_id="revoke")
    issued = api.container.region.issue_token(ctx, role="agency", name="revoked")
    api.container.region.revoke_token(ctx, issued.token_id)
    return issued.token


def test_every_route_answers_every_caller_as_the_contract_says(
    api: Api, world: dict[str, str]
) -> None:
    callers: list[str | None] = [*UNAUTHENTICATED, *ROLES]

    answers = {
        (route.method, route.path, role): route.call(api, world, role)
        for route in ROUTES
        for role in callers
    }

    wanted = {
        (route.method, route.path, role): expected(route, role)
        for route in ROUTES
        for role in callers
    }
    assert {k: v for k, v in answers.items() if v != wanted[k]} == {}


def test_the_matrix_covers_every_route_of_the_published_contract(api: Api) -> None:
    published = api.client.get("/openapi.json").json()["paths"]
    operations = {(method.upper(), path) for path, item in published.items() for method in item}

    covered = {
        (r.method, r.path.split("?")[0].replace(HOSPITAL, "{institution_code}")) for r in ROUTES
    }

    assert {(m, _shape(p)) for m, p in operations} == {(m, _shape(p)) for m, p in covered}


def _shape(path: str) -> str:
    return "/".join("{}" if part.startswith("{") else part for part in path.split("/"))
