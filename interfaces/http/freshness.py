"""Read-your-writes (`?min_position=N`) without holding a worker thread while waiting.

A position beyond the log's head is refused at once (422 naming `min_position`): no write can
bring the views there in time, and waiting for it is how a client could tie the service up.
Waiting readers sleep on the event loop, and all of them share one look at the tracking table
at a time (a thread for a millisecond per poll, whatever the number of readers and the
positions they wait for), so hundreds of them leave the threads that commands run on free;
that is what lets the look come every 5 ms (a reader answers within ~5 ms of the view).
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import Request
from fastapi.dependencies.utils import request_params_to_args
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool

from interfaces.http.errors import InvalidField, ProjectionLagging
from projections.queries import Views
from projections.queries.trails import reached
from projections.tracking import Generation

POLL_S = 0.005


class Freshness:
    """The shared poll of one app's views: one look at the tracking table at a time answers
    every waiting reader, whatever position and projections each waits for."""

    def __init__(self, views: Views) -> None:
        self._views = views
        self._poll: asyncio.Future[dict[str, Generation]] | None = None

    async def reached(
        self, position: int, timeout: float, reads: tuple[str, ...] | None = None
    ) -> bool:
        """Whether the projections `reads` (all when None) reach `position` within `timeout`."""
        if reads == ():
            return True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            live = await self._progress()
            needed = [g for name, g in live.items() if reads is None or name in reads]
            found = reached(needed, position)
            if found is not None:
                return found
            if loop.time() >= deadline:
                return False
            await asyncio.sleep(POLL_S)

    async def _progress(self) -> dict[str, Generation]:
        """Readers that ask while a look runs get its answer."""
        running = self._poll
        if running is None:
            running = asyncio.ensure_future(run_in_threadpool(self._views.progress))
            self._poll = running
            running.add_done_callback(lambda _: self._forget(running))
        return await asyncio.shield(running)

    def _forget(self, done: asyncio.Future[dict[str, Generation]]) -> None:
        if self._poll is done:
            self._poll = None


def require_valid_path(request: Request) -> None:
    """An id in the path that cannot exist is a 404 before any waiting (the route validates it
    only after its dependencies)."""
    route: Any = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is not None and dependant.path_params:
        _, errors = request_params_to_args(dependant.path_params, request.path_params)
        if errors:
            raise RequestValidationError(errors)


async def wait_until_fresh(
    request: Request, views: Views, position: int, reads: tuple[str, ...] | None = None
) -> None:
    require_valid_path(request)
    head = await run_in_threadpool(views.log_head)
    if position > head:
        raise InvalidField("min_position", f"is beyond the log's head ({head})")
    timeout: float = request.app.state.freshness_timeout
    if not await request.app.state.freshness.reached(position, timeout, reads):
        raise ProjectionLagging(f"the views have not reached position {position}")
