"""The archivists' actions on the archive page: place and release holds (封存), propose and
approve disposals (鉴定, 审批), export a retention package and open its summary.

Each form is checked for its CSRF token, then handed to the API's own route function with
the context the API builds (its role dependency first), so a console action is recorded and
refused exactly as the same call over HTTP would be. A done action redirects back to the page
(POST, redirect, GET) with a notice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from application.context import Context
from interfaces.console.pages.archive import may_act, render_catalogue
from interfaces.console.render import Refusal, attempt, guard, ids, page
from interfaces.console.session import Checked, Session, SignedIn
from interfaces.http.auth import Archivist
from interfaces.http.deps import region
from interfaces.http.routes import archive_commands, archive_packages
from interfaces.http.schemas import archive as ar

router = APIRouter(prefix="/console/archive", include_in_schema=False)
SUMMARY = ("data", "summary.txt")
Text = Annotated[str, Form(max_length=20000)]


@router.post("/holds")
def place_hold(
    request: Request,
    session: Checked,
    reason: Text = "",
    legal_basis: Text = "",
    aggregate_ids: Text = "",
    record_class: Text = "",
    since: Text = "",
    until: Text = "",
) -> Response:
    scope = _scope(aggregate_ids, record_class, since, until)
    return _act(
        request,
        session,
        lambda ctx: archive_commands.place_hold(
            _body(ar.HoldRequest, {"scope": scope, "reason": reason, "legal_basis": legal_basis}),
            ctx,
            region(request),
        ),
        lambda done: back(f"hold {done.hold_id} placed", done.position),
    )


@router.post("/holds/{hold_id}/release")
def release_hold(request: Request, session: Checked, hold_id: UUID, reason: Text = "") -> Response:
    return _act(
        request,
        session,
        lambda ctx: archive_commands.release_hold(
            hold_id, _body(ar.ReleaseRequest, {"reason": reason}), ctx, region(request)
        ),
        lambda done: back(f"hold {hold_id} released", done.position),
    )


@router.post("/disposals")
def propose_disposal(
    request: Request, session: Checked, aggregate_ids: Text = "", appraisal_opinion: Text = ""
) -> Response:
    scope = _scope(aggregate_ids, "", "", "")
    body = {"scope": scope, "appraisal_opinion": appraisal_opinion}
    return _act(
        request,
        session,
        lambda ctx: archive_commands.propose_disposal(
            _body(ar.DisposalProposal, body), ctx, region(request), request
        ),
        lambda done: back(f"disposal {done.disposal_id} proposed", done.position),
    )


@router.post("/disposals/{disposal_id}/approval")
def approve_disposal(
    request: Request, session: Checked, disposal_id: UUID, reason: Text = ""
) -> Response:
    return _act(
        request,
        session,
        lambda ctx: archive_commands.approve_disposal(
            disposal_id, _body(ar.DisposalApproval, {"reason": reason}), ctx, region(request)
        ),
        lambda done: back(f"disposal {disposal_id} approved and executed", done.position),
    )


@router.post("/packages")
def export_package(
    request: Request,
    session: Checked,
    since: Text = "",
    until: Text = "",
    record_class: Text = "",
) -> Response:
    body = {"since": since or None, "until": until or None, "record_class": record_class or None}

    def made(ctx: Context) -> Any:
        return archive_packages.make_package(
            _body(ar.PackageRequest, body), ctx, region(request), request
        )

    return _act(request, session, made, lambda done: f"/console/archive/packages/{done.package_id}")


@router.get("/packages/{package_id}")
def package_summary(request: Request, session: SignedIn, package_id: UUID) -> HTMLResponse:
    """The package's human-readable summary, read from the bag the API made."""
    guard(session, Archivist)
    path = archive_packages.store(request).root / package_id.hex
    summary = path.joinpath(*SUMMARY)
    if not summary.is_file():
        raise Refusal(404, "NOT_FOUND", f"no package {package_id}")
    return page(
        request,
        session,
        "package.html",
        title=f"Package {package_id}",
        package_id=package_id,
        summary=summary.read_text(encoding="utf-8"),
    )


@router.get("/packages/{package_id}/download")
def download(request: Request, session: SignedIn, package_id: UUID) -> Response:
    """The API's download (recorded as a read of personal data, as over HTTP)."""
    actor = guard(session, Archivist)
    return archive_packages.download(package_id, actor, ids(request), region(request), request)


def _scope(aggregate_ids: str, record_class: str, since: str, until: str) -> dict[str, Any]:
    """A scope from the form: aggregate ids one per line (or comma-separated), or a query."""
    ids = [i for i in aggregate_ids.replace(",", "\n").split() if i]
    query = {"record_class": record_class, "since": since, "until": until}
    return {"aggregate_ids": ids or None, **{k: v.strip() or None for k, v in query.items()}}


def _body(model: type[BaseModel], values: dict[str, Any]) -> Any:
    """The API's request model, validated as the API validates it (422 naming the field)."""
    try:
        return model.model_validate(values)
    except ValidationError as invalid:
        first = invalid.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "body"
        raise Refusal(422, "VALIDATION_ERROR", f"{field}: {first['msg']}") from None


def back(notice: str, position: int) -> str:
    """The archive page with a notice, once the views show the command (read your writes)."""
    return "/console/archive?" + urlencode({"notice": notice, "min_position": position})


def _act(
    request: Request,
    session: Session,
    command: Callable[[Context], Any],
    where: Callable[[Any], str],
) -> Response:
    """Run an archivist command as the API would (its context, its refusals); on success
    redirect to `where(answer)`, else show the archive page with the refusal."""
    actor = session.actor
    if not may_act(actor):
        raise Refusal(403, "FORBIDDEN", f"the {actor.role} role may not do this")
    ctx = archive_commands.archivist_context(actor, ids(request))
    done, refusal = attempt(lambda: command(ctx))
    if refusal is not None:
        return render_catalogue(request, session, refusal=refusal)
    return RedirectResponse(where(done), status_code=303)
