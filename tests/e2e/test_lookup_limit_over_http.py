"""An institution cannot walk national IDs through the lookup: so many a minute per token,
then 429 with Retry-After, and the refusal is recorded like the reads themselves."""

from __future__ import annotations

import httpx

from interfaces.http.app import create_app
from tests.e2e.conftest import Api, serving
from tests.e2e.scenario import enrollment, head


def test_lookups_beyond_the_tokens_limit_are_429_and_the_refusal_is_recorded(api: Api) -> None:
    api.container.settings.lookup_limit = 3
    asked = [{"national_id": enrollment()["national_id"]} for _ in range(5)]
    before = head(api)

    with (
        serving(create_app(api.container)) as base_url,
        httpx.Client(base_url=base_url) as client,
    ):
        answers = [
            client.post("/v1/persons/lookup", json=b, headers=api.headers(role))
            for role in ("institution", "agency")
            for b in asked
        ]
        other = client.post(
            "/v1/persons/lookup", json=asked[0], headers=api.headers("other_institution")
        )

    statuses = [a.status_code for a in answers]
    assert statuses == [404] * 3 + [429] * 2 + [404] * 5  # the agency is not limited
    refused = answers[3]
    assert refused.json()["code"] == "TOO_MANY_REQUESTS"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert other.status_code == 404  # per token
    reads = api.fresh(
        "/v1/audit/events", head(api), role="auditor", event_type="PersonalDataAccess.Read"
    )
    purposes = [e["payload"]["purpose"] for e in reads["items"] if e["position"] > before]
    assert purposes.count("lookup") == 3 + 5 + 1
    assert purposes.count("lookup_refused") == 1
