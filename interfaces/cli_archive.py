"""`yibao archive …`: the archivist's commands (holds, disposal, packages, the catalogue).

The archivist is named by `--archivist` (default: the operating-system user); the two-person
rule compares these names. A refusal prints one line (its code and why) and exits 1.
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from uuid import UUID, uuid4

import typer
from rich.console import Console
from rich.progress import Progress

from application.context import ARCHIVIST, Actor, Context
from domain.archive import RecordScope
from domain.errors import DomainError
from interfaces.archive_package.export import export_package
from interfaces.archive_package.spec import PackageError, PackageSpec
from interfaces.archive_package.verify import verify_package
from interfaces.bootstrap import Container, build, build_runner
from interfaces.settings import Settings

console = Console()
errors = Console(stderr=True)
archive_app = typer.Typer(no_args_is_help=True, help="Archivists: holds, disposal, packages.")
dispose_app = typer.Typer(no_args_is_help=True, help="Two-person disposal: propose, approve.")
archive_app.add_typer(dispose_app, name="dispose")
T = TypeVar("T")
READ_SIDE = ["archive_catalogue", "archive_holds", "audit_trail"]


def register(app: typer.Typer) -> None:
    app.add_typer(archive_app, name="archive")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


ARCHIVIST_OPTION = typer.Option(None, "--archivist", help="who acts (default: the OS user)")


def _context(archivist: str | None) -> Context:
    name = archivist or _user()
    return Context(Actor(f"cli:{name}", ARCHIVIST), request_id=f"cli-{uuid4().hex[:12]}")


@contextmanager
def _container(catch_up: bool = False) -> Iterator[Container]:
    container = build(Settings())
    try:
        if catch_up:  # the catalogue read here is the log's, up to its head
            build_runner(container, READ_SIDE).catch_up()
        yield container
    finally:
        container.close()


def _refusing(action: Callable[[], T]) -> T:
    try:
        return action()
    except DomainError as refused:
        _one_line(f"{refused.code}: {refused.detail}")
    except PackageError as refused:
        _one_line(f"PACKAGE_REFUSED: {refused}")


def _one_line(message: str) -> NoReturn:
    print(" ".join(message.split()), file=sys.stderr)
    raise typer.Exit(1)


def _scope(
    aggregate: list[str] | None,
    record_class: str | None,
    since: str | None,
    until: str | None,
    institution: str | None,
    person: str | None,
) -> RecordScope:
    try:
        return RecordScope(
            aggregate_ids=tuple(UUID(a) for a in aggregate or ()),
            record_class=record_class,
            since=date.fromisoformat(since) if since else None,
            until=date.fromisoformat(until) if until else None,
            institution_code=institution,
            person_id=UUID(person) if person else None,
        )
    except ValueError as bad:
        _one_line(f"VALIDATION_ERROR: scope: {bad}")


AGGREGATE = typer.Option(None, "--aggregate", help="an aggregate id (repeatable)")
CLASS = typer.Option(None, "--class", help="a record class, e.g. payment_detail")
SINCE = typer.Option(None, "--since", help="formed on or after (YYYY-MM-DD)")
UNTIL = typer.Option(None, "--until", help="formed on or before (YYYY-MM-DD)")
INSTITUTION = typer.Option(None, "--institution", help="an institution code")
PERSON = typer.Option(None, "--person", help="a person id")


@archive_app.command("hold")
def hold(
    reason: str = typer.Option(..., help="why (e.g. 专项稽核)"),
    legal_basis: str = typer.Option(..., "--legal-basis", help="the legal basis"),
    aggregate: list[str] | None = AGGREGATE,
    record_class: str | None = CLASS,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    institution: str | None = INSTITUTION,
    person: str | None = PERSON,
    archivist: str | None = ARCHIVIST_OPTION,
) -> None:
    """封存: hold the records in scope (also those formed later in it); prints the hold id."""
    scope = _scope(aggregate, record_class, since, until, institution, person)
    with _container() as c:
        placed = _refusing(
            lambda: c.region.place_hold(
                _context(archivist), scope, reason=reason, legal_basis=legal_basis
            )
        )
    print(placed.hold_id)


@archive_app.command("release")
def release(
    hold_id: UUID = typer.Argument(..., help="the hold's id"),
    reason: str = typer.Option(..., help="why the hold ends"),
    archivist: str | None = ARCHIVIST_OPTION,
) -> None:
    """Release a hold."""
    with _container() as c:
        _refusing(lambda: c.region.release_hold(_context(archivist), hold_id, reason=reason))
    console.print(f"released {hold_id}")


@dispose_app.command("propose")
def propose(
    opinion: str = typer.Option(..., "--opinion", help="the appraisal opinion (鉴定意见)"),
    aggregate: list[str] | None = AGGREGATE,
    record_class: str | None = CLASS,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    institution: str | None = INSTITUTION,
    person: str | None = PERSON,
    archivist: str | None = ARCHIVIST_OPTION,
) -> None:
    """Propose every record of the aggregates in scope for disposal; prints the disposal id."""
    scope = _scope(aggregate, record_class, since, until, institution, person)
    with _container(catch_up=not aggregate) as c:

        def proposed() -> Any:
            ids = list(scope.validate().aggregate_ids) or [
                UUID(str(a)) for a in c.views.archive_aggregates(_criteria(scope))
            ]
            return c.region.propose_disposal(_context(archivist), ids, appraisal_opinion=opinion)

        done = _refusing(proposed)
    print(done.disposal_id)


def _criteria(scope: RecordScope) -> dict[str, object]:
    return {
        "record_class": scope.record_class,
        "since": scope.since,
        "until": scope.until,
        "institution_code": scope.institution_code,
        "person_id": scope.person_id,
    }


@dispose_app.command("approve")
def approve(
    disposal_id: UUID = typer.Argument(..., help="the proposal's id"),
    reason: str = typer.Option(..., help="the approval's grounds"),
    archivist: str | None = ARCHIVIST_OPTION,
) -> None:
    """Approve (a different archivist): the records' personal data is destroyed at once."""
    with _container() as c:
        done = _refusing(
            lambda: c.region.approve_disposal(_context(archivist), disposal_id, reason=reason)
        )
    console.print(f"disposed of {len(done.aggregate_ids)} aggregates' personal data")


@archive_app.command("disposals")
def disposals() -> None:
    """The disposal register, one JSON object a line."""
    with _container() as c:
        for d in c.region.disposals():
            entry = {
                "disposal_id": str(d.disposal_id),
                "status": d.status,
                "aggregate_ids": [str(a) for a in d.aggregate_ids],
                "appraisal_opinion": d.appraisal_opinion,
                "proposed_by": d.proposed_by,
                "approved_by": d.approved_by,
            }
            print(json.dumps(entry, ensure_ascii=False))


@archive_app.command("records")
def records(
    record_class: str | None = CLASS,
    due_before: str | None = typer.Option(None, "--due-before", help="YYYY-MM-DD"),
    held: bool | None = typer.Option(None, "--held/--not-held", help="only held / unheld"),
    limit: int = typer.Option(100, min=1, max=1000),
) -> None:
    """Catalogue records (tab-separated): archive number, class, formed, due, held."""
    due = date.fromisoformat(due_before) if due_before else None
    with _container(catch_up=True) as c:
        rows, _ = c.views.archive_records(
            record_class=record_class, due_before=due, held=held, limit=limit
        )
    print("archive_number\trecord_class\tformed_date\tdue_date\theld\taggregate_id")
    for r in rows:
        fields = (r["archive_number"], r["record_class"], r["formed_date"], r["due_date"] or "-")
        print("\t".join(map(str, (*fields, r["held"], r["aggregate_id"] or "-"))))


@archive_app.command("volumes")
def volumes(
    year: int | None = typer.Option(None, min=1900, max=2999),
    month: int | None = typer.Option(None, min=1, max=12),
) -> None:
    """Monthly volumes (tab-separated): id, records, seal hash, sealed."""
    with _container(catch_up=True) as c:
        found = c.views.archive_volumes(year, month)
    print("volume_id\trecord_count\tseal_hash\tsealed")
    for v in sorted(found, key=lambda v: str(v["volume_id"])):
        print(f"{v['volume_id']}\t{v['record_count']}\t{v['seal_hash']}\t{v['sealed']}")


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
        _one_line(f"VALIDATION_ERROR: {bad}")
    with _container(catch_up=True) as c, Progress(console=errors, transient=True) as bar:
        task = bar.add_task("exporting events", total=None)
        organisation = f"yibao 医保经办机构, pooling region {c.settings.region_code}"

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        made = _refusing(
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
        _one_line(f"INVALID: {verdict.detail}")
    console.print(f"valid: {verdict.detail}")
