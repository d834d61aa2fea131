"""The package's catalogue (CSV and JSON, row by row) and its human-readable summary."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from datetime import date
from json.encoder import encode_basestring
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
                values = [row[c] for c in COLUMNS]
                table.writerow(["" if v is None else _text(v) for v in values])
                separator = "\n" if self.count == 0 else ",\n"
                as_json.write(separator + _json_object(values))
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


SORTED = sorted(range(len(COLUMNS)), key=lambda i: COLUMNS[i])
KEYS = [encode_basestring(COLUMNS[i]) + ":" for i in SORTED]


def _json_object(values: list[Any]) -> str:
    """The row as compact JSON with sorted keys (`json.dumps(row, sort_keys=True,
    ensure_ascii=False, separators=(",", ":"))`, written by hand: millions of rows)."""
    return "{" + ",".join(k + _json(values[i]) for k, i in zip(KEYS, SORTED, strict=True)) + "}"


def _json(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return str(encode_basestring(_text(value)))


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)
