"""One event as a line of `events.jsonl`, in one canonical form, and its chain link.

A line is the stored row itself (the stored state exactly as recorded, personal data
sealed) with its chain hash and the hash before it:
  {"aggregate_id", "event_type", "hash", "position", "previous", "state", "topic", "version"}
as JSON with sorted keys, no spaces, non-ASCII as UTF-8, one per line (what
`json.dumps(line, ensure_ascii=False, sort_keys=True, separators=(",", ":"))` gives; it is
written out by hand because a million lines are exported at a time). `hash` is
SHA-256(previous ‖ canonical bytes of the stored row) (projections/audit_chain.py), so each
line verifies on its own, and consecutive positions link.

The canonical bytes of `audit_chain.canonical_bytes` are laid out here in one `struct` call
(`link`, `pieces`), and a topic's encoded forms are known once (`Topic`): a log holds a few
dozen topics.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import cache
from json.encoder import encode_basestring

_HEAD = struct.Struct(">Q16sQI")  # position, originator id, version, len(topic)
_LENGTH = struct.Struct(">I")  # len(state)
_sha256 = hashlib.sha256


@dataclass(frozen=True)
class Topic:
    utf8: bytes
    event_type: str  # the class name, as a JSON string
    json: str  # the topic, as a JSON string

    @staticmethod
    @cache
    def of(topic: str) -> Topic:
        return Topic(
            topic.encode("utf-8"),
            encode_basestring(topic.rpartition(":")[2]),
            encode_basestring(topic),
        )


def link(
    previous: bytes, position: int, aggregate_id: str, version: int, topic: bytes, state: bytes
) -> bytes:
    """SHA-256(previous ‖ canonical bytes of the stored row); `aggregate_id` as text (any
    form `bytes.fromhex` reads once its hyphens are gone), `topic` in UTF-8."""
    identity = bytes.fromhex(aggregate_id.replace("-", ""))
    head = _HEAD.pack(position, identity, version, len(topic))
    return _sha256(previous + head + topic + _LENGTH.pack(len(state)) + state).digest()


Piece = tuple[int, str, str, bytes, bytes, bytes, bytes]
"""A stored row laid out for its line: (position, aggregate id in canonical text form, topic,
the chain's canonical bytes, then the line in UTF-8 up to the hash, between the hash and the
previous hash, and after the previous hash to the end of the line)."""


def pieces(position: int, originator_id: str, version: int, topic_name: str, state: bytes) -> Piece:
    """A stored row laid out for its line; the originator id as text, with hyphens or
    without (the library's SQLite table holds its 32 hex digits)."""
    digits = originator_id.replace("-", "").lower()
    identity = bytes.fromhex(digits)
    if len(identity) != 16:
        raise ValueError(f"not an aggregate id: {originator_id!r}")
    aggregate_id = f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"
    topic = Topic.of(topic_name)
    canonical = (
        _HEAD.pack(position, identity, version, len(topic.utf8))
        + topic.utf8
        + _LENGTH.pack(len(state))
        + state
    )
    head = f'{{"aggregate_id":"{aggregate_id}","event_type":{topic.event_type},"hash":"'
    middle = f'","position":{position},"previous":"'
    tail = (
        f'","state":{encode_basestring(state.decode("utf-8"))},'
        f'"topic":{topic.json},"version":{version}}}\n'
    )
    return (
        position,
        aggregate_id,
        topic_name,
        canonical,
        head.encode("utf-8"),
        middle.encode("ascii"),
        tail.encode("utf-8"),
    )
