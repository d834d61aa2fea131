"""The audit envelope a view shows is the stored one, whether the event was decoded or not."""

from __future__ import annotations

from interfaces.bootstrap import Container
from projections.events import Envelope, envelope_of
from tests.conftest import Clock
from tests.contract.scenario import record_history


def test_a_decoded_events_envelope_equals_the_one_read_from_its_stored_bytes(
    container: Container, clock: Clock
) -> None:
    record_history(container.region, clock)
    records = container.log.read(0, 10_000)
    assert len(records) == container.region.head()
    for decoded, undecoded in zip(records, container.log.read(0, 10_000), strict=True):
        stored = envelope_of(undecoded.state)
        decoded.event  # noqa: B018 (decodes first, as the runner does)
        assert decoded.envelope == stored != Envelope()
        assert undecoded.envelope == stored  # never decoded: read from the stored JSON
        assert "event" not in undecoded.__dict__
