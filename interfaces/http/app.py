"""The HTTP service's app factory: one container in, the whole API.md contract out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from interfaces import console
from interfaces.bootstrap import Container, build, sqlalchemy_url
from interfaces.http import docs, errors, openapi
from interfaces.http.access_log import AccessLog
from interfaces.http.freshness import Freshness
from interfaces.http.outage import DatabaseWatch
from interfaces.http.rate_limit import SlidingWindow
from interfaces.http.routes import ROUTERS
from interfaces.settings import Settings

DESCRIPTION = """The settlement core of a basic medical insurance pooling region (医保统筹区).

Money is a decimal string with 2 places. Every refusal is `application/problem+json` with a
machine `code`. Commands answer once their events are durable, with `position`; queries accept
`?min_position=` to read their own writes."""


def create_app(
    container: Container, *, lifespan: Any = None, freshness_timeout: float = 5.0
) -> FastAPI:
    """The API on a container; `freshness_timeout` bounds a `?min_position=` wait (≤ 5 s)."""
    app = FastAPI(
        title="yibao",
        version="1",
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=watching_the_database(container, lifespan),
    )
    app.state.database_watch = None
    app.state.container = container
    app.state.freshness_timeout = min(freshness_timeout, 5.0)
    app.state.lookup_limit = SlidingWindow(container.settings.lookup_limit)
    app.state.freshness = Freshness(container.views)
    errors.install(app)
    app.add_middleware(AccessLog)  # outermost: every answer is logged, a 413 too
    for router in ROUTERS:
        app.include_router(router)
    openapi.install(app)
    docs.install(app)
    console.install(app)
    return app


def watching_the_database(container: Container, inner: Any) -> Any:
    """The app's lifespan: a database watch while it serves (outage.py), then `inner`'s."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        watch = DatabaseWatch(sqlalchemy_url(container.settings)).start()
        app.state.database_watch = watch
        try:
            if inner is None:
                yield
            else:
                async with inner(app):
                    yield
        finally:
            app.state.database_watch = None
            watch.stop()

    return lifespan


def app_from_environment() -> FastAPI:
    """The factory `uvicorn --factory` calls in each worker: settings from `YIBAO_*`."""
    container = build(Settings())
    container.start_forgetting()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            container.close()

    return create_app(container, lifespan=lifespan)
