"""The audit chain: canonical bytes of a stored event and the hash that links them.

canonical_n = position (8 bytes) ‖ originator id (16 bytes) ‖ originator version (8 bytes)
              ‖ len(topic) (4 bytes) ‖ topic (UTF-8) ‖ len(state) (4 bytes) ‖ state
(integers unsigned big-endian; `state` exactly as stored: JSON with personal data sealed)
hash_n = SHA-256(hash_{n-1} ‖ canonical_n), hash_0 = 32 zero bytes; shown as lowercase hex.

The fields are the stored row itself, never the decoded event: decoding decrypts personal
data, and a shredded key must not change any hash. See docs/audit-chain.md.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable
from uuid import UUID

GENESIS = bytes(32)


def canonical_bytes(
    position: int, originator_id: UUID, originator_version: int, topic: str, state: bytes
) -> bytes:
    encoded_topic = topic.encode("utf-8")
    return b"".join(
        (
            struct.pack(">Q", position),
            originator_id.bytes,
            struct.pack(">Q", originator_version),
            struct.pack(">I", len(encoded_topic)),
            encoded_topic,
            struct.pack(">I", len(state)),
            state,
        )
    )


def chain(previous: bytes, canonical: bytes) -> bytes:
    return hashlib.sha256(previous + canonical).digest()


def links(previous: bytes, canonicals: Iterable[bytes]) -> list[bytes]:
    """`chain` over many events in order: the link of each (the loop the auditors' check
    spends its time in, without a call per event)."""
    sha256 = hashlib.sha256
    found: list[bytes] = []
    keep = found.append
    for canonical in canonicals:
        previous = sha256(previous + canonical).digest()
        keep(previous)
    return found
