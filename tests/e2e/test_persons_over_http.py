"""The agency enrolls and manages insured persons over HTTP; reads of personal data are
recorded."""

from __future__ import annotations

from datetime import date

from tests.e2e.conftest import Api
from tests.e2e.scenario import enroll, enrollment, head


def test_an_enrollment_answers_the_person_id_and_the_same_id_again_is_already_enrolled(
    api: Api,
) -> None:
    body = enrollment()

    first = api.post("/v1/persons", body)
    again = api.post("/v1/persons", body)

    assert first.status_code == 201 and first.json()["position"] > 0
    assert (again.status_code, again.json()["code"]) == (409, "ALREADY_ENROLLED")


def test_a_malformed_enrollment_is_refused_naming_the_field_and_records_nothing(api: Api) -> None:
    before = head(api)
    bad_check = {**enrollment(), "national_id": "310101196101050000"}
    wrong_birth = {**enrollment(), "birth_date": "1961-01-06"}
    unknown_field = {**enrollment(), "nickname": "老张"}

    answers = [api.post("/v1/persons", body) for body in (bad_check, wrong_birth, unknown_field)]

    assert [a.status_code for a in answers] == [422, 422, 422]
    assert [a.json()["field"] for a in answers] == ["national_id", "birth_date", "nickname"]
    assert all("310101196101050000" not in a.text for a in answers)
    assert head(api) == before


def test_a_lookup_lists_each_enrollment_masked_and_an_unknown_id_is_person_not_found(
    api: Api,
) -> None:
    body = enrollment(date(1980, 5, 6))
    api.post("/v1/persons", body)
    api.post("/v1/persons", {**body, "scheme": "employee"})

    found = api.post("/v1/persons/lookup", {"national_id": body["national_id"]}, role="institution")
    missing = api.post("/v1/persons/lookup", {"national_id": enrollment()["national_id"]})

    assert found.status_code == 200
    items = found.json()["items"]
    assert sorted(i["scheme"] for i in items) == ["employee", "resident"]
    assert {i["masked_id"] for i in items} == {
        body["national_id"][:4] + "*" * 10 + body["national_id"][-4:]
    }
    assert body["national_id"] not in found.text
    assert (missing.status_code, missing.json()["code"]) == (404, "PERSON_NOT_FOUND")


def test_suspension_reinstatement_termination_and_credits_answer_201_with_positions(
    api: Api,
) -> None:
    person = enroll(api, scheme="employee")
    path = f"/v1/persons/{person}"

    answers = [
        api.post(f"{path}/account-credits", {"amount": "300.00", "period": "2026-01"}),
        api.post(f"{path}/suspensions", {"reason": "断缴", "effective_from": "2026-04-01"}),
        api.post(f"{path}/reinstatements", {"reason": "补缴", "effective_from": "2026-05-01"}),
        api.post(f"{path}/terminations", {"reason": "迁出", "effective_from": "2026-09-01"}),
    ]

    assert [a.status_code for a in answers] == [201, 201, 201, 201]
    positions = [a.json()["position"] for a in answers]
    assert positions == sorted(positions) and len(set(positions)) == 4


def test_person_refusals_carry_their_codes(api: Api) -> None:
    resident = enroll(api)
    employee = enroll(api, date(1990, 1, 20), scheme="employee")
    credit = {"amount": "300.00", "period": "2026-01"}
    api.post(f"/v1/persons/{employee}/account-credits", credit)

    answers = {
        "ACCOUNT_NOT_AVAILABLE": api.post(f"/v1/persons/{resident}/account-credits", credit),
        "ALREADY_CREDITED": api.post(f"/v1/persons/{employee}/account-credits", credit),
        "NOT_SUSPENDED": api.post(
            f"/v1/persons/{resident}/reinstatements",
            {"reason": "x", "effective_from": "2026-05-01"},
        ),
        # An unknown id in a path is NOT_FOUND (API.md); PERSON_NOT_FOUND is the lookup's.
        "NOT_FOUND": api.post(
            "/v1/persons/00000000-0000-4000-8000-000000000000/terminations",
            {"reason": "x", "effective_from": "2026-05-01"},
        ),
    }

    assert {code: a.json()["code"] for code, a in answers.items()} == {c: c for c in answers}
    assert [a.status_code for a in answers.values()] == [422, 409, 422, 404]


def test_a_person_read_shows_the_masked_id_and_the_years_accumulators(api: Api) -> None:
    body = enrollment()
    person = api.post("/v1/persons", body).json()

    shown = api.fresh(
        f"/v1/persons/{person['person_id']}", person["position"], role="institution", year=2026
    )

    assert shown["masked_id"] == body["national_id"][:4] + "*" * 10 + body["national_id"][-4:]
    assert shown["scheme"] == "resident" and shown["status"] == "enrolled"
    assert body["national_id"] not in str(shown) and body["name"] not in str(shown)


def test_an_auditors_read_of_a_person_is_itself_recorded(api: Api) -> None:
    person = api.post("/v1/persons", enrollment()).json()
    before = head(api)

    read = api.get(
        f"/v1/persons/{person['person_id']}", role="auditor", min_position=person["position"]
    )

    assert read.status_code == 200
    audit = api.fresh(
        "/v1/audit/events", head(api), role="auditor", event_type="PersonalDataAccess.Read"
    )
    reads = [e for e in audit["items"] if e["position"] > before]
    assert len(reads) == 1 and reads[0]["role"] == "auditor"


def test_a_late_inspection_suspends_a_terminated_person_for_a_window_ending_before_it(
    api: Api,
) -> None:
    person = enroll(api)
    terminated = api.post(
        f"/v1/persons/{person}/terminations", {"reason": "迁出", "effective_from": "2026-08-01"}
    )

    def suspend(start: str, until: str | None) -> tuple[int, str | None]:
        window = {"reason": "稽核发现", "effective_from": start, "effective_until": until}
        answer = api.post(f"/v1/persons/{person}/suspensions", window)
        return answer.status_code, answer.json().get("code")

    assert terminated.status_code == 201
    assert suspend("2026-06-01", "2026-07-01") == (201, None)
    assert suspend("2026-07-01", "2026-08-01") == (201, None)  # until is exclusive
    assert suspend("2026-07-15", "2026-08-15") == (422, "ALREADY_TERMINATED")
    assert suspend("2026-08-01", "2026-09-01") == (422, "ALREADY_TERMINATED")
    assert suspend("2026-05-01", None) == (422, "ALREADY_TERMINATED")
    shown = api.fresh(f"/v1/audit/aggregates/{person}", head(api), role="auditor")
    assert [(w["start"], w["until"]) for w in shown["state"]["suspensions"]] == [
        ("2026-06-01", "2026-07-01"),
        ("2026-07-01", "2026-08-01"),
    ]
