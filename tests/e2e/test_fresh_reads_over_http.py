"""Read-your-writes waits only for the projections a read needs: a stopped projection that a
query does not read never makes it answer 503."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.routing import APIRoute

from interfaces.bootstrap import Container, build_runner
from interfaces.http.app import create_app
from interfaces.http.deps import READS, fresh_views
from projections.catalog import NAMES
from tests.e2e.conftest import Api, issue_tokens, serving
from tests.e2e.scenario import claim, enroll, settle, sign


def reads_views(route: APIRoute) -> bool:
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if dependency.call is fresh_views:
            return True
        pending.extend(dependency.dependencies)
    return False


def test_every_route_that_waits_for_the_views_names_the_projections_it_reads(
    container: Container,
) -> None:
    routes = [r for r in create_app(container).routes if isinstance(r, APIRoute)]
    waiting = {r.path for r in routes if reads_views(r)}

    assert waiting <= set(READS)
    assert all(set(names) <= set(NAMES) for names in READS.values())


@pytest.fixture
def settlements_only(container: Container) -> Iterator[Api]:
    """The service with only the settlements and the trail followed (the others stopped)."""
    with (
        serving(create_app(container, freshness_timeout=1.0)) as base_url,
        httpx.Client(base_url=base_url, timeout=30) as client,
    ):
        yield Api(client, container, issue_tokens(container))


def test_a_settlement_read_does_not_wait_for_a_stopped_archive_catalogue(
    settlements_only: Api,
) -> None:
    api = settlements_only
    sign(api)
    person = enroll(api)
    settled = settle(api, claim(person))
    build_runner(api.container, ["settlements"]).catch_up()
    position = settled["position"]

    read = api.get(f"/v1/settlements/{settled['settlement_id']}", min_position=position)
    archive = api.get("/v1/archive/records", role="archivist", min_position=position)

    assert read.status_code == 200, read.text
    assert archive.status_code == 503, archive.text
