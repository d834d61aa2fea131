"""`yibao serve` and `yibao token …` (the HTTP service and its credentials)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the service and token commands to the main CLI."""
