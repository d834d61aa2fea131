"""What every query needs: a connection, the live generation's tables, today, the policy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Table, select
from sqlalchemy.exc import DBAPIError

from domain.policy import NoPolicyInForce, Policy, PolicyBook
from projections import tracking
from projections.events import REGION_TZ
from projections.log import EventLog
from projections.projection import ViewProjection, tables_of
from projections.runtime import utc_now

T = TypeVar("T")
Row = dict[str, Any]
MAX_LIMIT = 1000


class QueryBase:
    def __init__(
        self,
        engine: Engine,
        log: EventLog,
        *,
        policies: PolicyBook,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.engine = engine
        self.log = log
        self.policies = policies
        self.clock = clock

    # --- plumbing ------------------------------------------------------------------------

    def _read(self, query: Callable[[Connection], T]) -> T:
        try:
            with self.engine.connect() as c:
                return query(c)
        except DBAPIError:
            # A rebuild may have switched generations and dropped the old tables between
            # reading the registry and the view: read once more from the new generation.
            with self.engine.connect() as c:
                return query(c)

    def _table(self, c: Connection, projection: type[ViewProjection], short: str) -> Table:
        generation = c.execute(
            select(tracking.registry.c.live_generation).where(
                tracking.registry.c.projection == projection.name
            )
        ).scalar_one()
        return tables_of(projection, generation)[short]

    def _one(
        self, c: Connection, projection: type[ViewProjection], short: str, **key: Any
    ) -> Row | None:
        table = self._table(c, projection, short)
        condition = [table.c[name] == value for name, value in key.items()]
        found = c.execute(select(table).where(*condition)).mappings().first()
        return dict(found) if found is not None else None

    def _today(self) -> date:
        return self.clock().astimezone(REGION_TZ).date()

    def _policy(self, year: int) -> Policy:
        try:
            return self.policies.for_service_date(date(year, 12, 31))
        except NoPolicyInForce:
            return next(iter(self.policies))


def page_limit(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))
