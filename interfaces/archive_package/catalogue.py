"""The package's catalogue (CSV and JSON, row by row) and its human-readable summary."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from interfaces.archive_package.spec import PackageSpec
from projections.queries.base import Row

COLUMNS = (
    "archive_number",
    "record_class",
    "retention_code",
    "formed_date",
    "due_date",
    "held",
    "volume_id",
    "position",
    "aggregate_id",
    "event_type",
    "period",
    "digest",
)


class CatalogueWriter:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.count = 0
        self.per_class_month: Counter[tuple[str, str]] = Counter()
        self.held = 0

    def write(self, rows: Iterable[Row]) -> None:
        with (
            (self.out / "catalogue.csv").open("w", newline="", encoding="utf-8") as as_csv,
            (self.out / "catalogue.json").open("w", encoding="utf-8") as as_json,
        ):
            table = csv.writer(as_csv, lineterminator="\n")
            table.writerow(COLUMNS)
            as_json.write("[")
            for row in rows:
                values = [_plain(row[c]) for c in COLUMNS]
                table.writerow(["" if v is None else v for v in values])
                entry = dict(zip(COLUMNS, values, strict=True))
                separator = "\n" if self.count == 0 else ",\n"
                as_json.write(separator + json.dumps(entry, ensure_ascii=False, sort_keys=True))
                self._count(row)
            as_json.write("\n]\n")

    def _count(self, row: Row) -> None:
        self.count += 1
        self.held += bool(row["held"])
        month = row["formed_date"].isoformat()[:7]
        self.per_class_month[(str(row["record_class"]), month)] += 1

    def write_summary(
        self, spec: PackageSpec, first: int, last: int, head: str, events: int
    ) -> None:
        lines = [
            "yibao retention package — summary",
            "",
            f"period covered:   {spec.since.isoformat()} to {spec.until.isoformat()}",
            f"record class:     {spec.record_class or 'all'}",
            f"aggregates:       {len(spec.aggregate_ids) or 'all'}",
            f"positions:        {first} to {last}",
            f"events:           {events} (data/events.jsonl)",
            f"catalogue:        {self.count} records, {self.held} held (data/catalogue.*)",
            f"audit-chain head: {head} (position {last})",
            "",
            "records per class and month:",
        ]
        width = max((len(c) for c, _ in self.per_class_month), default=12)
        for (record_class, month), count in sorted(self.per_class_month.items()):
            lines.append(f"  {record_class.ljust(width)}  {month}  {count:>10}")
        lines += ["", "Personal data in the events is sealed (per-person and per-settlement", ""]
        lines[-2] += " keys); amounts and hashes are in clear."
        (self.out / "summary.txt").write_text("\n".join(lines), encoding="utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
