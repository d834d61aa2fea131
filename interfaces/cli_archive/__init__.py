"""`yibao archive …`: the archivist's commands — the office's holds and disposal
(`office.py`), the catalogue (`catalogue.py`) and retention packages (`packages.py`).

The archivist is named by `--archivist` (default: the operating-system user); the two-person
rule compares these names. A refusal prints one line (its code and why) and exits 1.
"""

from __future__ import annotations

import typer

from interfaces.cli_archive import catalogue, office, packages
from interfaces.cli_archive.common import archive_app

COMMANDS = (office, catalogue, packages)  # imported for their commands


def register(app: typer.Typer) -> None:
    app.add_typer(archive_app, name="archive")
