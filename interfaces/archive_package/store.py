"""Packages made over HTTP: kept under the data directory, each a bag and its zip."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

from sqlalchemy import Engine

from interfaces.archive_package.export import Progress, export_package
from interfaces.archive_package.spec import PackageSpec
from projections.queries import Views

CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredPackage:
    package_id: UUID
    files: int  # files in the bag (payload and tag files)
    bytes: int  # size of the zip
    sha256: str  # of the zip


class PackageStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def create(
        self,
        engine: Engine,
        views: Views,
        spec: PackageSpec,
        source_organisation: str,
        progress: Progress | None = None,
    ) -> StoredPackage:
        package_id = uuid4()
        bag = self.root / package_id.hex
        export_package(
            engine, views, spec, bag, source_organisation=source_organisation, progress=progress
        )
        files = sorted(p for p in bag.rglob("*") if p.is_file())
        archive = self.zip_path(package_id)
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zipped:
            for path in files:
                zipped.write(path, f"{package_id.hex}/{path.relative_to(bag).as_posix()}")
        return StoredPackage(package_id, len(files), archive.stat().st_size, _sha256(archive))

    def zip_path(self, package_id: UUID) -> Path:
        return self.root / f"{package_id.hex}.zip"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as read:
        while chunk := read.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
