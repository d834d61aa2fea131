"""Forgetting disposed subjects at once, in this process and in every other one.

A disposal's approval is committed first (the register entry); then `forget` destroys the
disposed subjects' keys and drops every decrypted copy this process holds (the aggregate
cache; the key store's cache is set by `destroy`). Another process learns of it from the log:
`forget_disposed()` reads the approvals recorded since it last looked and does the same —
destroying a key twice is harmless, so a crash between the commit and the destruction is
repaired by the next look of any process. Reads of personal data call it first; `yibao
serve` also calls it in the background.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from application.core import RegionCore
from domain.archive import ARCHIVE_ID, Archive

APPROVED_TOPIC = f"{get_topic(Archive)}.DisposalApproved"


class Forgetting(RegionCore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._disposals_seen = 0  # the log position up to which approvals were read
        self._forgotten: set[UUID] = set()
        self._forget_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def forget(self, subject_ids: Sequence[UUID]) -> None:
        """Destroy these subjects' keys and drop every decrypted copy this process holds."""
        for subject in subject_ids:
            self.keys.destroy(subject)
            self._evict(subject)
        self._forgotten.update(subject_ids)

    def forget_disposed(self) -> None:
        """Catch up with the disposals any process approved since this one last looked."""
        with self._forget_lock:
            head = self.head()
            if head <= self._disposals_seen:
                return
            approvals = self.recorder.select_notifications(
                start=self._disposals_seen + 1, limit=head, stop=head, topics=[APPROVED_TOPIC]
            )
            if approvals:
                self._evict(ARCHIVE_ID)
                archive = self._find(ARCHIVE_ID, Archive)
                disposed = archive.disposed - self._forgotten if archive else set()
                self.forget(sorted(disposed, key=lambda s: s.hex))
            self._disposals_seen = head

    def _evict(self, aggregate_id: UUID) -> None:
        self.decisions.forget([aggregate_id])  # the settlement path's copies too
        cache = self.repository.cache
        if cache is None:
            return
        with contextlib.suppress(KeyError):
            cache.get(aggregate_id, evict=True)
