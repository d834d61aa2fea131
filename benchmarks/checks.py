"""Correctness checks a throughput run must pass: read back from the store by a fresh
application (no cache of the process that wrote), never from the writer's memory."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from decimal import Decimal
from uuid import UUID

from eventsourcing.utils import get_topic

from application.region import Region
from domain.person import InsuredPerson
from domain.settlement import Settlement
from domain.values import EMPLOYEE
from interfaces.bootstrap import build
from interfaces.settings import Settings

PAGE = 1000


class LogTail:
    """A reader following the log while a run writes, as a projection would: at the end,
    every event in the log must have been seen by it. An id committed below one the reader
    had already passed (what the PostgreSQL table lock prevents) would be missed: a lost
    event for every projection. Ids may skip values on PostgreSQL (a failed insert burns a
    sequence value); that is no loss."""

    def __init__(self, settings: Settings, interval: float = 0.005) -> None:
        self._container = build(settings)
        self._interval = interval
        self._stop = threading.Event()
        self.seen: list[int] = []
        self._thread = threading.Thread(target=self._follow, daemon=True)

    def __enter__(self) -> LogTail:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._read_to_head()
        self._container.close()

    def _follow(self) -> None:
        while not self._stop.is_set():
            if not self._read_to_head():
                time.sleep(self._interval)

    def _read_to_head(self) -> bool:
        start = self.seen[-1] + 1 if self.seen else 1
        page = self._container.region.recorder.select_notifications(start, PAGE)
        self.seen.extend(n.id for n in page)
        return bool(page)

    def missed_nothing(self, region: Region) -> bool:
        """The tail saw every id the log holds up to where it stopped, in increasing order
        (a baseline may write more to the same database afterwards)."""
        last = self.seen[-1] if self.seen else 0
        return self.seen == [n for n in all_ids(region) if n <= last]


def all_ids(region: Region) -> list[int]:
    ids: list[int] = []
    while True:
        page = region.recorder.select_notifications(ids[-1] + 1 if ids else 1, PAGE)
        ids.extend(n.id for n in page)
        if len(page) < PAGE:
            return ids


def settled_by_person(region: Region) -> dict[UUID, list[Settlement.Settled]]:
    """Every Settled event in the log, by person."""
    topics = [get_topic(Settlement.Settled)]
    found: dict[UUID, list[Settlement.Settled]] = defaultdict(list)
    start = 1
    while True:
        page = region.recorder.select_notifications(start, PAGE, topics=topics)
        for notification in page:
            settled = region.mapper.to_domain_event(notification)
            found[settled.person_id].append(settled)
        if len(page) < PAGE:
            return found
        start = page[-1].id + 1


def accumulators_exact(region: Region, person_ids: list[UUID], year: int, credit: Decimal) -> bool:
    """Each person's year totals and account are exactly the sums of their settlements."""
    settled = settled_by_person(region)
    for person_id in person_ids:
        person = region.repository.get(person_id)
        assert isinstance(person, InsuredPerson)
        mine = [s.result for s in settled.get(person_id, []) if s.service_date.year == year]
        basic = sum((r.basic_fund_pay for r in mine), Decimal(0))
        major = sum((r.major_fund_pay for r in mine), Decimal(0))
        account = sum((r.account_pay for r in mine), Decimal(0))
        ytd = person.year(year)
        opening = credit if person.scheme == EMPLOYEE else Decimal(0)
        if (ytd.fund_paid_basic, ytd.fund_paid_major) != (basic, major):
            return False
        if person.account_balance != opening - account:
            return False
    return True


def settlements_stored(region: Region, ids: set[UUID]) -> int:
    """How many of `ids` are stored settlements."""
    return sum(1 for sid in ids if region._find(sid, Settlement) is not None)
