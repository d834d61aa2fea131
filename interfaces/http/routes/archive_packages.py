"""Retention packages over HTTP: made from the log's window, downloaded as a zip."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from domain.errors import NotFound, ValidationFailed
from interfaces.archive_package.spec import PackageError, PackageSpec
from interfaces.archive_package.store import PackageStore
from interfaces.http.auth import Archivist
from interfaces.http.deps import RegionDep, RequestIds, container, context_for, views
from interfaces.http.errors import ProjectionLagging
from interfaces.http.routes.archive_commands import ArchivistContext
from interfaces.http.schemas import archive as ar
from interfaces.http.strict_body import StrictRoute

LAGGING = {
    503: {"description": "the views did not catch up with the log in 5 s (PROJECTION_LAGGING)"}
}
router = APIRouter(prefix="/v1/archive/packages", tags=["archivists"], route_class=StrictRoute)


def store(request: Request) -> PackageStore:
    return PackageStore(container(request).settings.data_dir / "packages")


@router.post("", status_code=201, responses=LAGGING)  # type: ignore[arg-type]
def make_package(
    body: ar.PackageRequest, ctx: ArchivistContext, region: RegionDep, request: Request
) -> ar.PackageCreated:
    """A BagIt 1.0 retention package of the period (the views caught up to the log's head
    first); the export is recorded as a read of personal data (调阅登记)."""
    head = region.head()
    found = views(request)
    if not found.wait_for(head, request.app.state.freshness_timeout):
        raise ProjectionLagging(f"the views have not reached position {head}")
    spec = PackageSpec(
        body.since, body.until, body.record_class, frozenset(body.aggregate_ids or ())
    )
    organisation = f"yibao 医保经办机构, pooling region {region.region_code}"
    try:
        made = store(request).create(container(request).engine, found, spec, organisation)
    except PackageError as refused:  # an empty period or scope: nothing to package
        raise ValidationFailed("since", str(refused)) from None
    purpose = f"retention package {made.package_id.hex} {body.since}/{body.until}"
    region.record_personal_data_read(ctx, sorted(spec.aggregate_ids), purpose=purpose)
    return ar.PackageCreated(
        package_id=made.package_id, files=made.files, bytes=made.bytes, sha256=made.sha256
    )


ZIP = {
    200: {
        "description": "the bag as a zip",
        "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.get("/{package_id}/download", response_class=FileResponse, responses=ZIP)  # type: ignore[arg-type]
def download(
    package_id: UUID, actor: Archivist, ids: RequestIds, region: RegionDep, request: Request
) -> FileResponse:
    """The bag as a zip (its directory inside is the package id)."""
    path = store(request).zip_path(package_id)
    if not path.is_file():
        raise NotFound(f"no package {package_id}")
    region.record_personal_data_read(
        context_for(actor, ids), [], purpose=f"retention package {package_id.hex} download"
    )
    return FileResponse(path, media_type="application/zip", filename=f"{package_id.hex}.zip")
