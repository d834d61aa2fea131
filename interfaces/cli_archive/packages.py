"""`yibao archive export|verify`: retention packages (BagIt 1.0), exported with a progress
bar and verified (the bag, then the audit chain it carries)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import UUID

import typer
from rich.progress import Progress

from interfaces.archive_package.export import export_package
from interfaces.archive_package.spec import PackageSpec
from interfaces.archive_package.verify import verify_package
from interfaces.cli_archive.common import (
    AGGREGATE,
    CLASS,
    archive_app,
    console,
    container,
    errors,
    one_line,
    refusing,
)


@archive_app.command("export")
def export(
    since: str = typer.Option(..., help="first day (YYYY-MM-DD)"),
    until: str = typer.Option(..., help="last day (YYYY-MM-DD)"),
    out: Path = typer.Option(..., "--out", help="a new or empty directory for the bag"),
    record_class: str | None = CLASS,
    aggregate: list[str] | None = AGGREGATE,
) -> None:
    """Export a retention package (BagIt 1.0) of the period, with a progress bar."""
    try:
        spec = PackageSpec(
            date.fromisoformat(since),
            date.fromisoformat(until),
            record_class,
            frozenset(UUID(a) for a in aggregate or ()),
        )
    except ValueError as bad:
        one_line(f"VALIDATION_ERROR: {bad}")
    with container(catch_up=True) as c, Progress(console=errors, transient=True) as bar:
        task = bar.add_task("exporting events", total=None)
        organisation = f"yibao 医保经办机构, pooling region {c.settings.region_code}"

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        made = refusing(
            lambda: export_package(
                c.engine, c.views, spec, out, source_organisation=organisation, progress=advance
            )
        )
    console.print(
        f"package {out}: {made.events} events, {made.records} catalogue records, "
        f"positions {made.first_position}-{made.last_position}, chain head {made.head_hash}"
    )


@archive_app.command("verify")
def verify(path: Path = typer.Argument(..., help="the bag's directory")) -> None:
    """Validate the bag and recompute its audit chain (exit 1 if anything differs)."""
    verdict = verify_package(path)
    if not verdict.ok:
        one_line(f"INVALID: {verdict.detail}")
    console.print(f"valid: {verdict.detail}")
