"""Verifying a retention package: the bag (every manifest, full validation with the `bagit`
library), then the audit chain recomputed from the events it carries, ending at the head
written in `bag-info.txt`. Streamed: one line in memory at a time."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import bagit

from interfaces.archive_package.lines import EventLine


@dataclass(frozen=True)
class Verdict:
    ok: bool
    detail: str
    events: int = 0


def verify_package(path: Path) -> Verdict:
    try:
        bag = bagit.Bag(str(path))
        bag.validate()
    except bagit.BagError as invalid:
        return Verdict(False, f"the bag is not valid: {invalid}")
    return _verify_chain(path / "data" / "events.jsonl", bag.info)


def _verify_chain(events: Path, info: dict[str, str | list[str]]) -> Verdict:
    head = str(info.get("Audit-Chain-Head", ""))
    start = str(info.get("Audit-Chain-Start", ""))
    checked, previous, last = 0, None, None
    with events.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            try:
                line = EventLine.decode(raw)
            except (ValueError, KeyError, TypeError):
                return Verdict(False, f"line {number} of events.jsonl is not an event", checked)
            if checked == 0 and line.previous.hex() != start:
                return Verdict(False, "the first event does not start at Audit-Chain-Start")
            if not line.links():
                return Verdict(False, f"the chain breaks at position {line.position}", checked)
            follows = previous is not None and line.position == previous.position + 1
            if follows and previous is not None and line.previous != previous.hash:
                return Verdict(False, f"position {line.position} does not follow", checked)
            if previous is not None and line.position <= previous.position:
                return Verdict(False, f"position {line.position} is out of order", checked)
            checked, previous, last = checked + 1, line, line
    if last is None:
        return Verdict(False, "the package carries no event")
    if head != f"{last.position} {last.hash.hex()}":
        return Verdict(False, "the chain does not end at Audit-Chain-Head", checked)
    return Verdict(True, f"{checked} events; chain head {last.hash.hex()}", checked)
