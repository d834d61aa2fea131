"""Garbage never reaches the permanent log: each form a careless or hostile client was seen to
send is a 422 naming the field, and nothing is recorded (API.md, "Input is strict")."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.conftest import Api
from tests.e2e.scenario import claim, enroll, enrollment, head, open_fund, sign

AGREEMENT = {
    "institution_code": "H31010100009",
    "institution_name": "另一家医院",
    "level": 2,
    "ownership": "public",
    "term_start": "2026-01-01",
    "term_end": "2026-12-31",
    "annual_budget": "1000.00",
}


def refused_fields(api: Api, path: str, bodies: list[dict[str, Any]], role: str) -> list[Any]:
    answers = [api.post(path, body, role=role) for body in bodies]
    return [(a.status_code, a.json().get("code"), a.json().get("field")) for a in answers]


def with_item(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**body, "items": [{**body["items"][0], **changes}]}


def test_quantities_that_only_look_like_numbers_are_refused(api: Api) -> None:
    sign(api)
    body = claim(enroll(api))
    before = head(api)
    quantities = ["１", "٣", "1_000", "1E-1000000000000000000", "1." + "0" * 5000, 1.0, True]
    quantities += ["12345678901", "1.00001", "0", 0, -1, "NaN", " 1"]

    answers = refused_fields(
        api, "/v1/settlements", [with_item(body, quantity=q) for q in quantities], "institution"
    )

    assert answers == [(422, "VALIDATION_ERROR", "items[0].quantity")] * len(quantities)
    assert head(api) == before


def test_a_whole_quantity_may_be_a_json_integer_or_a_decimal_string(api: Api) -> None:
    sign(api)
    body = claim(enroll(api), "10.00")

    as_integer = api.post(
        "/v1/settlements",
        {**with_item(body, quantity=2, unit_price="5.00"), "request_id": "Q-INT"},
        role="institution",
    )
    as_text = api.post(
        "/v1/settlements",
        {**with_item(body, quantity="2.5", unit_price="4.00"), "request_id": "Q-TEXT"},
        role="institution",
    )

    assert (as_integer.status_code, as_text.status_code) == (201, 201)


def test_money_is_bounded_to_thirteen_ascii_digits_and_two_places(api: Api) -> None:
    sign(api)
    person = enroll(api)
    fund = open_fund(api)
    body = claim(person)
    before = head(api)
    amounts = [
        "9999999999999999999",
        "12345678901234.00",
        "１３００.00",
        "1_300.00",
        "1e3",
        "1.001",
    ]

    settled = refused_fields(
        api,
        "/v1/settlements",
        [with_item(body, unit_price=a, amount=a) for a in amounts],
        "institution",
    )
    contributed = refused_fields(
        api,
        f"/v1/funds/{fund}/contributions",
        [{"amount": a, "period": "2026-03", "source": "employer"} for a in amounts],
        "agency",
    )

    assert settled == [(422, "VALIDATION_ERROR", "items[0].unit_price")] * len(amounts)
    assert contributed == [(422, "VALIDATION_ERROR", "amount")] * len(amounts)
    assert head(api) == before


def test_dates_are_yyyy_mm_dd_strings_only(api: Api) -> None:
    sign(api)
    body = claim(enroll(api))
    before = head(api)
    days = [
        1773100800,
        "2026-03-10T00:00:00Z",
        "2026-03-10T00:00:00+08:00",
        "20260310",
        "２０２６-03-10",
    ]

    answers = refused_fields(
        api, "/v1/settlements", [{**body, "service_date": d} for d in days], "institution"
    )

    assert answers == [(422, "VALIDATION_ERROR", "service_date")] * len(days)
    assert head(api) == before


def test_implausible_dates_are_refused_by_the_regions_today(api: Api) -> None:
    sign(api)
    body = claim(enroll(api))
    person = enrollment()
    before = head(api)
    cases = {
        "birth_date": {**person, "birth_date": "2030-01-01"},
        "enrolled_on": {**person, "enrolled_on": "2999-12-31"},
        "contribution_start": {**person, "contribution_start": "1950-01-01"},
    }

    enrolled = {f: api.post("/v1/persons", b) for f, b in cases.items()}
    future_claim = api.post(
        "/v1/settlements", {**body, "service_date": "2026-04-01"}, role="institution"
    )
    long_term = api.post(
        "/v1/agreements", {**AGREEMENT, "term_start": "1900-01-01", "term_end": "2999-12-31"}
    )

    assert {f: (a.status_code, a.json()["field"]) for f, a in enrolled.items()} == {
        f: (422, f) for f in cases
    }
    assert (future_claim.status_code, future_claim.json()["field"]) == (422, "service_date")
    assert (long_term.status_code, long_term.json()["field"]) == (422, "term_end")
    assert head(api) == before


def test_a_region_outside_the_deployments_is_refused(api: Api) -> None:
    before = head(api)

    person = api.post("/v1/persons", {**enrollment(), "region_code": "999999"})
    agreement = api.post("/v1/agreements", {**AGREEMENT, "region_code": "320000"})
    fund = api.post(
        "/v1/funds",
        {"scheme": "resident", "layer": "basic", "region_code": "300000", "name": "x"},
    )
    inside = api.post("/v1/persons", {**enrollment(), "region_code": "310115"})

    assert [(a.status_code, a.json()["field"]) for a in (person, agreement, fund)] == [
        (422, "region_code")
    ] * 3
    assert inside.status_code == 201
    assert head(api) == before + 1


def test_booleans_and_integers_take_no_other_json_type(api: Api) -> None:
    agreement = sign(api)
    person = enroll(api)
    before = head(api)

    suspensions = refused_fields(
        api,
        f"/v1/agreements/{agreement}/suspensions",
        [{"reason": "r", "effective_from": "2026-04-01", "voluntary": v} for v in ("true", 1)],
        "agency",
    )
    frauds = refused_fields(
        api,
        f"/v1/persons/{person}/suspensions",
        [{"reason": "r", "effective_from": "2026-04-01", "fraud": v} for v in ("yes", "false")],
        "agency",
    )
    levels = refused_fields(
        api, "/v1/agreements", [{**AGREEMENT, "level": v} for v in (1.0, "1", True)], "agency"
    )

    assert suspensions == [(422, "VALIDATION_ERROR", "voluntary")] * 2
    assert frauds == [(422, "VALIDATION_ERROR", "fraud")] * 2
    assert levels == [(422, "VALIDATION_ERROR", "level")] * 3
    assert head(api) == before


def test_bidirectional_formatting_characters_are_refused_in_text(api: Api) -> None:
    before = head(api)
    names = [f"张{c}三" for c in ("\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u061c")]

    answers = refused_fields(
        api, "/v1/persons", [{**enrollment(), "name": n} for n in names], "agency"
    )

    assert answers == [(422, "VALIDATION_ERROR", "name")] * len(names)
    assert head(api) == before


def test_a_category_listed_twice_is_refused(api: Api) -> None:
    before = head(api)

    answer = api.post("/v1/persons", {**enrollment(), "categories": ["student"] * 4})

    assert (answer.status_code, answer.json()["field"]) == (422, "categories")
    assert head(api) == before


def test_a_duplicated_json_key_is_refused_not_silently_the_last(api: Api) -> None:
    body = json.dumps(enrollment(), ensure_ascii=False)
    doubled = body[:-1] + ', "name": "李四"}'
    before = head(api)

    answer = api.client.post(
        "/v1/persons",
        content=doubled.encode(),
        headers={**api.headers("agency"), "Content-Type": "application/json"},
    )

    assert (answer.status_code, answer.json()["code"], answer.json()["field"]) == (
        422,
        "VALIDATION_ERROR",
        "body",
    )
    assert head(api) == before


def test_names_codes_and_items_are_bounded(api: Api) -> None:
    sign(api)
    body = claim(enroll(api))
    before = head(api)

    long_name = api.post("/v1/persons", {**enrollment(), "name": "张" * 201})
    long_visit = api.post("/v1/settlements", {**body, "visit_id": "V" * 65}, role="institution")
    many_items = api.post(
        "/v1/settlements", {**body, "items": body["items"] * 1001}, role="institution"
    )

    assert [(a.status_code, a.json()["field"]) for a in (long_name, long_visit, many_items)] == [
        (422, "name"),
        (422, "visit_id"),
        (422, "items"),
    ]
    assert head(api) == before
