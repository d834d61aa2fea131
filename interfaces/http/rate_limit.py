"""The person lookup's limit per token (API.md): an institution may look up so many national
IDs a minute (`YIBAO_LOOKUP_LIMIT`, default 60); beyond, 429 `TOO_MANY_REQUESTS` with
`Retry-After`. The first refusal of each minute is recorded as a personal-data read refused
(purpose `lookup_refused`); the rest of that minute's refusals are answered alike but not each
written into the permanent log, which a refused client must not be able to fill.

The count is per service process (a deployment of N workers allows up to N × the limit).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_S = 60.0


class SlidingWindow:
    """At most `limit` admissions per key in any `WINDOW_S` seconds."""

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._admitted: dict[str, deque[float]] = {}
        self._refusal_noted: dict[str, float] = {}
        self._lock = threading.Lock()

    def admit(self, key: str) -> tuple[int, bool] | None:
        """None when admitted; else (seconds until one is, whether this is the window's first
        refusal for the key — the one to record)."""
        now = self._clock()
        with self._lock:
            times = self._admitted.setdefault(key, deque())
            while times and times[0] <= now - WINDOW_S:
                times.popleft()
            if len(times) < self.limit:
                times.append(now)
                return None
            wait = times[0] + WINDOW_S - now
            first = self._refusal_noted.get(key, -math.inf) <= now - WINDOW_S
            if first:
                self._refusal_noted[key] = now
            return max(1, math.ceil(wait)), first
