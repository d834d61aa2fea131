"""`yibao archive hold|release|dispose|disposals`: the archive office's holds and two-person
disposal, and its disposal register."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import typer

from domain.archive_records import RecordScope
from interfaces.cli_archive.common import (
    AGGREGATE,
    ARCHIVIST_OPTION,
    CLASS,
    INSTITUTION,
    PERSON,
    SINCE,
    UNTIL,
    archive_app,
    console,
    container,
    context,
    dispose_app,
    refusing,
    scope_of,
)


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
    scope = scope_of(aggregate, record_class, since, until, institution, person)
    with container() as c:
        placed = refusing(
            lambda: c.region.place_hold(
                context(archivist), scope, reason=reason, legal_basis=legal_basis
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
    with container() as c:
        refusing(lambda: c.region.release_hold(context(archivist), hold_id, reason=reason))
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
    scope = scope_of(aggregate, record_class, since, until, institution, person)
    with container(catch_up=not aggregate) as c:

        def proposed() -> Any:
            ids = list(scope.validate().aggregate_ids) or [
                UUID(str(a)) for a in c.views.archive_aggregates(criteria(scope))
            ]
            return c.region.propose_disposal(context(archivist), ids, appraisal_opinion=opinion)

        done = refusing(proposed)
    print(done.disposal_id)


def criteria(scope: RecordScope) -> dict[str, object]:
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
    with container() as c:
        done = refusing(
            lambda: c.region.approve_disposal(context(archivist), disposal_id, reason=reason)
        )
    console.print(f"disposed of {len(done.aggregate_ids)} aggregates' personal data")


@archive_app.command("disposals")
def disposals() -> None:
    """The disposal register, one JSON object a line."""
    with container() as c:
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
