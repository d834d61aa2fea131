"""`/docs` (Swagger UI) and `/redoc` with their scripts and stylesheets served from this
process: the agency's network (医保专网) has no internet. The assets come from the
`fastapi-offline` package, pinned in the lock file like any other dependency."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).parent / "static"
PREFIX = "/docs-assets"
# ReDoc's bundle names one image on its CDN (the sidebar's "API docs by Redocly" logo): the
# bundle is served with that address pointed at a plain local mark instead.
REDOC_BUNDLE = "/docs-local/redoc.standalone.js"
REDOC_LOGO = "/docs-local/redoc-logo.svg"
_CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
_LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    '<circle cx="8" cy="8" r="7" fill="#8c8c8c"/></svg>'
)


def install(app: FastAPI) -> None:
    """Serve the two documentation pages and their assets (the app has docs_url=None)."""
    app.mount(PREFIX, StaticFiles(directory=ASSETS), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} — API",
            swagger_js_url=f"{PREFIX}/swagger-ui-bundle.js",
            swagger_css_url=f"{PREFIX}/swagger-ui.css",
            swagger_favicon_url=f"{PREFIX}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None},  # no call to a public validator
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} — API",
            redoc_js_url=REDOC_BUNDLE,
            redoc_favicon_url=f"{PREFIX}/favicon.png",
            with_google_fonts=False,
        )

    @app.get(REDOC_BUNDLE, include_in_schema=False)
    def redoc_bundle() -> Response:
        return Response(_redoc_bundle(), media_type="text/javascript")

    @app.get(REDOC_LOGO, include_in_schema=False)
    def redoc_logo() -> Response:
        return Response(_LOGO_SVG, media_type="image/svg+xml")


@cache
def _redoc_bundle() -> bytes:
    text = (ASSETS / "redoc.standalone.js").read_text(encoding="utf-8")
    return text.replace(_CDN_LOGO, REDOC_LOGO).encode()
