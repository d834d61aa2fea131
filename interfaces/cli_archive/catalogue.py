"""`yibao archive records|volumes`: the catalogue and its monthly volumes, caught up to the
log's head."""

from __future__ import annotations

from datetime import date

import typer

from interfaces.cli_archive.common import CLASS, archive_app, container


@archive_app.command("records")
def records(
    record_class: str | None = CLASS,
    due_before: str | None = typer.Option(None, "--due-before", help="YYYY-MM-DD"),
    held: bool | None = typer.Option(None, "--held/--not-held", help="only held / unheld"),
    limit: int = typer.Option(100, min=1, max=1000),
) -> None:
    """Catalogue records (tab-separated): archive number, class, formed, due, held."""
    due = date.fromisoformat(due_before) if due_before else None
    with container(catch_up=True) as c:
        rows, _ = c.views.archive_records(
            record_class=record_class, due_before=due, held=held, limit=limit
        )
    print("archive_number\trecord_class\tformed_date\tdue_date\theld\taggregate_id")
    for r in rows:
        fields = (r.archive_number, r.record_class, r.formed_date, r.due_date or "-")
        print("\t".join(map(str, (*fields, r.held, r.aggregate_id or "-"))))


@archive_app.command("volumes")
def volumes(
    year: int | None = typer.Option(None, min=1900, max=2999),
    month: int | None = typer.Option(None, min=1, max=12),
) -> None:
    """Monthly volumes (tab-separated): id, records, seal hash, sealed."""
    with container(catch_up=True) as c:
        found = c.views.archive_volumes(year, month)
    print("volume_id\trecord_count\tseal_hash\tsealed")
    for v in sorted(found, key=lambda v: v.volume_id):
        print(f"{v.volume_id}\t{v.record_count}\t{v.seal_hash}\t{v.sealed}")
