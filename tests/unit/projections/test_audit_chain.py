"""The audit chain's canonical bytes and links, exactly as docs/audit-chain.md defines them."""

from __future__ import annotations

import hashlib
from uuid import UUID

from projections.audit_chain import GENESIS, canonical_bytes, chain
from projections.audit_trail import first_mismatch

EVENT_ID = UUID("12345678-1234-5678-1234-567812345678")


def test_canonical_bytes_are_length_prefixed_fields_in_a_fixed_order() -> None:
    canonical = canonical_bytes(7, EVENT_ID, 3, "domain.x:A.B", b'{"k":1}')
    assert canonical == (
        (7).to_bytes(8, "big")
        + EVENT_ID.bytes
        + (3).to_bytes(8, "big")
        + (12).to_bytes(4, "big")
        + b"domain.x:A.B"
        + (7).to_bytes(4, "big")
        + b'{"k":1}'
    )


def test_each_link_hashes_the_previous_link_and_the_canonical_bytes() -> None:
    canonical = canonical_bytes(1, EVENT_ID, 1, "t", b"s")
    assert bytes(32) == GENESIS
    assert chain(GENESIS, canonical) == hashlib.sha256(bytes(32) + canonical).digest()


def test_moving_bytes_between_topic_and_state_changes_the_hash() -> None:
    assert canonical_bytes(1, EVENT_ID, 1, "ab", b"c") != canonical_bytes(
        1, EVENT_ID, 1, "a", b"bc"
    )


def links(states: list[bytes]) -> tuple[list[tuple[int, bytes]], list[tuple[int, str]]]:
    store, trail, link = [], [], GENESIS
    for position, state in enumerate(states, start=1):
        canonical = canonical_bytes(position, EVENT_ID, position, "t", state)
        link = chain(link, canonical)
        store.append((position, canonical))
        trail.append((position, link.hex()))
    return store, trail


def test_the_first_changed_event_is_named_and_the_rest_is_not_checked() -> None:
    store, trail = links([b"a", b"b", b"c"])
    forged, _ = links([b"a", b"B", b"c"])
    assert first_mismatch(store, trail, GENESIS) == (3, trail[-1][1], None)
    checked, _, position = first_mismatch(forged, trail, GENESIS)
    assert (checked, position) == (2, 2)


def test_an_event_missing_from_the_store_or_from_the_trail_is_a_mismatch() -> None:
    store, trail = links([b"a", b"b", b"c"])
    assert first_mismatch(store[:2], trail, GENESIS)[2] == 3  # deleted from the store
    assert first_mismatch(store, trail[:2], GENESIS)[2] == 3  # never reached the trail
    assert first_mismatch([store[0], store[2]], trail, GENESIS)[2] == 2
