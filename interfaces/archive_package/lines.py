"""One event as a line of `events.jsonl`, in one canonical form, and its chain link.

A line is the stored row itself (the stored state exactly as recorded, personal data
sealed) with its chain hash and the hash before it:
  {"aggregate_id", "event_type", "hash", "position", "previous", "state", "topic", "version"}
as JSON with sorted keys, no spaces, non-ASCII as UTF-8, one per line (what
`json.dumps(line, ensure_ascii=False, sort_keys=True, separators=(",", ":"))` gives; it is
written out by hand because a million lines are exported at a time). `hash` is
SHA-256(previous ‖ canonical bytes of the stored row) (projections/audit_chain.py), so each
line verifies on its own, and consecutive positions link.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any
from uuid import UUID

from projections.audit_chain import canonical_bytes, chain


@dataclass(frozen=True)
class EventLine:
    position: int
    aggregate_id: UUID
    version: int
    topic: str
    state: bytes
    previous: bytes
    hash: bytes

    def encode(self) -> bytes:
        text = (
            f'{{"aggregate_id":"{self.aggregate_id}",'
            f'"event_type":{encode_basestring(self.topic.rpartition(":")[2])},'
            f'"hash":"{self.hash.hex()}","position":{self.position},'
            f'"previous":"{self.previous.hex()}",'
            f'"state":{encode_basestring(self.state.decode("utf-8"))},'
            f'"topic":{encode_basestring(self.topic)},"version":{self.version}}}\n'
        )
        return text.encode("utf-8")

    @classmethod
    def linked(
        cls,
        previous: bytes,
        position: int,
        aggregate_id: UUID,
        version: int,
        topic: str,
        state: bytes,
    ) -> EventLine:
        link = chain(previous, canonical_bytes(position, aggregate_id, version, topic, state))
        return cls(position, aggregate_id, version, topic, state, previous, link)

    @classmethod
    def decode(cls, line: bytes) -> EventLine:
        fields: dict[str, Any] = json.loads(line)
        return cls(
            position=int(fields["position"]),
            aggregate_id=UUID(fields["aggregate_id"]),
            version=int(fields["version"]),
            topic=str(fields["topic"]),
            state=str(fields["state"]).encode("utf-8"),
            previous=bytes.fromhex(fields["previous"]),
            hash=bytes.fromhex(fields["hash"]),
        )

    def links(self) -> bool:
        """Whether `hash` is the chain link of `previous` and this stored row."""
        canonical = canonical_bytes(
            self.position, self.aggregate_id, self.version, self.topic, self.state
        )
        return chain(self.previous, canonical) == self.hash
