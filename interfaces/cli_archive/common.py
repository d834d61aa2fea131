"""What the archivist's commands share: the command groups, who acts, the container, how a
refusal is printed, and the scope options of holds and disposal proposals."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import NoReturn, TypeVar
from uuid import UUID, uuid4

import typer
from rich.console import Console

from application.context import ARCHIVIST, Actor, Context
from domain.archive_records import RecordScope
from domain.errors import DomainError
from interfaces.archive_package.spec import PackageError
from interfaces.bootstrap import Container, build, build_runner
from interfaces.settings import Settings

console = Console()
errors = Console(stderr=True)
archive_app = typer.Typer(no_args_is_help=True, help="Archivists: holds, disposal, packages.")
dispose_app = typer.Typer(no_args_is_help=True, help="Two-person disposal: propose, approve.")
archive_app.add_typer(dispose_app, name="dispose")
T = TypeVar("T")
READ_SIDE = ["archive_catalogue", "archive_holds", "audit_trail"]


def user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


ARCHIVIST_OPTION = typer.Option(None, "--archivist", help="who acts (default: the OS user)")


def context(archivist: str | None) -> Context:
    name = archivist or user()
    return Context(Actor(f"cli:{name}", ARCHIVIST), request_id=f"cli-{uuid4().hex[:12]}")


@contextmanager
def container(catch_up: bool = False) -> Iterator[Container]:
    built = build(Settings())
    try:
        if catch_up:  # the catalogue read here is the log's, up to its head
            build_runner(built, READ_SIDE).catch_up()
        yield built
    finally:
        built.close()


def refusing(action: Callable[[], T]) -> T:
    try:
        return action()
    except DomainError as refused:
        one_line(f"{refused.code}: {refused.detail}")
    except PackageError as refused:
        one_line(f"PACKAGE_REFUSED: {refused}")


def one_line(message: str) -> NoReturn:
    print(" ".join(message.split()), file=sys.stderr)
    raise typer.Exit(1)


def scope_of(
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
        one_line(f"VALIDATION_ERROR: scope: {bad}")


AGGREGATE = typer.Option(None, "--aggregate", help="an aggregate id (repeatable)")
CLASS = typer.Option(None, "--class", help="a record class, e.g. payment_detail")
SINCE = typer.Option(None, "--since", help="formed on or after (YYYY-MM-DD)")
UNTIL = typer.Option(None, "--until", help="formed on or before (YYYY-MM-DD)")
INSTITUTION = typer.Option(None, "--institution", help="an institution code")
PERSON = typer.Option(None, "--person", help="a person id")
