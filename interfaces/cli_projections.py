"""`yibao projections …` and `yibao audit …` (the read side and the auditors' tools)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the projection and audit command groups to the main CLI."""
