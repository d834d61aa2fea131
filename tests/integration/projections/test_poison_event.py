"""An event no mapper can decode any more (a transcoding removed since it was stored) stops
only the projections that read its fields, visibly; the audit trail chains it from its
stored bytes, and nobody waits on the stopped ones."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from eventsourcing.persistence import StoredEvent
from typer.testing import CliRunner

from interfaces.bootstrap import Container
from interfaces.cli import app
from projections.runtime import ProjectionFailed
from tests.conftest import Clock
from tests.contract.scenario import History, record_history, runner_for
from tests.integration.projections.test_projection_commands import (
    env_of,
    status_rows,
    wide_console,  # noqa: F401 (autouse)
)
from tests.support import agency

STAMP = datetime(2026, 4, 1, 3, 0, tzinfo=UTC)
READERS_OF_CLAWBACKS = {"settlements", "balances", "archive_catalogue"}


def store_poison(container: Container, history: History) -> int:
    """A clawback of the first claim as an older release stored it: its amounts were
    written with a transcoding this release no longer has."""
    region = container.region
    version = region.recorder.select_events(history.first_claim, desc=True, limit=1)[0]
    state = {
        "timestamp": {"_type_": "datetime_iso", "_data_": STAMP.isoformat()},
        "audit": {
            "_type_": "audit",
            "_data_": {
                "actor_id": "operator-9",
                "role": "agency",
                "reason": "旧版本追回",
                "request_id": "OLD-1",
                "correlation_id": "corr-old",
            },
        },
        "clawback_id": {"_type_": "uuid_hex", "_data_": history.clawback.hex},
        "basic": {"_type_": "money_v0", "_data_": "10.00"},
        "major": {"_type_": "money_v0", "_data_": "0.00"},
    }
    poison = StoredEvent(
        originator_id=history.first_claim,
        originator_version=version.originator_version + 1,
        topic="domain.settlement:Settlement.ClawedBack",
        state=json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode(),
    )
    (position,) = region.recorder.insert_events([poison])
    assert position is not None
    return int(position)


def test_a_poison_event_stops_its_readers_visibly_and_the_audit_trail_chains_it(
    container: Container, clock: Clock
) -> None:
    history = record_history(container.region, clock)
    poison = store_poison(container, history)
    container.region.receive_contribution(
        agency(), history.resident_basic, amount=Decimal("1.00"), period="2026-04", source="subsidy"
    )
    head = container.region.head()
    views = container.views

    with pytest.raises(ProjectionFailed) as raised:
        runner_for(container).catch_up()
    assert raised.value.position == poison
    runner_for(container).catch_up(raise_errors=False)

    status = {s.name: s for s in views.projection_status()}
    for name, state in status.items():
        if name in READERS_OF_CLAWBACKS:
            assert (state.position, state.lag) == (poison - 1, head - poison + 1), name
            assert state.error_position == poison
            error = state.error or ""
            assert "MapperDeserialisationError" in error and "money_v0" in error
        else:
            assert (state.position, state.error, state.error_position) == (
                head,
                None,
                None,
            ), name

    (chained,), _ = views.audit_events(after=poison - 1, limit=1)
    assert (chained.actor, chained.role, chained.request_id, chained.reason) == (
        "operator-9",
        "agency",
        "OLD-1",
        "旧版本追回",
    )
    assert chained.recorded_at == STAMP
    verified = views.verify_chain(None, None)
    assert (verified.ok, verified.checked) == (True, head)

    started = time.monotonic()
    assert not views.wait_for(head, timeout=10)
    assert time.monotonic() - started < 1  # failed: no need to wait the timeout out
    assert views.wait_for(poison - 1, timeout=0.1)
    # A read waits only for what it reads: the trail passed the poison, the settlements did not.
    assert views.wait_for(head, timeout=0.1, projections=["audit_trail", "persons"])
    assert not views.wait_for(head, timeout=10, projections=["settlements"])

    shown = CliRunner().invoke(app, ["projections", "status"], env=env_of(container))
    assert shown.exit_code == 1, shown.output
    settlements = status_rows(shown.output)["settlements"]
    assert settlements[3] == str(head - poison + 1)  # the lag column
    assert f"at {poison}:" in settlements[6] and "MapperDeserialisationError" in shown.output
