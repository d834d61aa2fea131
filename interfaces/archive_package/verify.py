"""Verifying a retention package: the bag (every manifest, full validation with the `bagit`
library), then the audit chain recomputed from the events it carries, ending at the head
written in `bag-info.txt`. Streamed: one line in memory at a time.

(Checking stretches of lines in worker processes was tried and measured slower on the
2-core machine: spawned workers re-import the caller's main module.)
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import bagit

from interfaces.archive_package.lines import Topic, link


@dataclass(frozen=True)
class Verdict:
    ok: bool
    detail: str
    events: int = 0


def verify_package(path: Path) -> Verdict:
    try:
        bag = bagit.Bag(str(path))
    except bagit.BagError as invalid:
        return Verdict(False, f"the bag is not valid: {invalid}")
    # The library's checksums (hashlib and file reads, without the GIL) run on a thread
    # while this one recomputes the chain; an invalid bag is the verdict whatever the chain.
    with ThreadPoolExecutor(1, thread_name_prefix="yibao-bagit") as side:
        validated = side.submit(bag.validate)
        try:
            chain = _verify_chain(path / "data" / "events.jsonl", bag.info)
        except (OSError, UnicodeDecodeError) as unreadable:
            chain = Verdict(False, f"events.jsonl cannot be read: {unreadable}")
        try:
            validated.result()
        except bagit.BagError as invalid:
            return Verdict(False, f"the bag is not valid: {invalid}")
    return chain


def _verify_chain(events: Path, info: dict[str, str | list[str]]) -> Verdict:
    head = str(info.get("Audit-Chain-Head", ""))
    start = str(info.get("Audit-Chain-Start", ""))
    checked, position, hashed = 0, 0, ""
    with events.open(encoding="utf-8", newline="\n", buffering=1 << 20) as lines:
        for number, raw in enumerate(lines, start=1):
            try:
                fields = json.loads(raw)
                previous = str(fields["previous"])
                linked = link(
                    bytes.fromhex(previous),
                    _number(fields["position"]),
                    _uuid(fields["aggregate_id"]),
                    _number(fields["version"]),
                    Topic.of(str(fields["topic"])).utf8,
                    str(fields["state"]).encode("utf-8"),
                ).hex()
            except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
                return Verdict(False, f"line {number} of events.jsonl is not an event", checked)
            at = fields["position"]
            if checked == 0 and previous != start:
                return Verdict(False, "the first event does not start at Audit-Chain-Start")
            if linked != fields["hash"]:
                return Verdict(False, f"the chain breaks at position {at}", checked)
            if checked and at <= position:
                return Verdict(False, f"position {at} is out of order", checked)
            if checked and at == position + 1 and previous != hashed:
                return Verdict(False, f"position {at} does not follow", checked)
            checked, position, hashed = checked + 1, at, linked
    if checked == 0:
        return Verdict(False, "the package carries no event")
    if head != f"{position} {hashed}":
        return Verdict(False, "the chain does not end at Audit-Chain-Head", checked)
    return Verdict(True, f"{checked} events; chain head {hashed}", checked)


def _number(value: object) -> int:
    if type(value) is not int or value < 0:
        raise ValueError("not a position or version")
    return value


def _uuid(value: object) -> str:
    text = str(value)
    if len(text) != 36 or text.count("-") != 4:
        raise ValueError("not an aggregate id")
    return text
