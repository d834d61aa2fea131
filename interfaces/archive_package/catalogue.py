"""The package's catalogue (CSV and JSON, row by row) and its human-readable summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from interfaces.archive_package.spec import PackageSpec
from projections.queries.package_lines import PACKAGE_COLUMNS, PackageLine


class CatalogueWriter:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.count = 0
        self.per_class_month: Counter[tuple[str, str]] = Counter()
        self.held = 0

    def write(self, batches: Iterable[list[PackageLine]]) -> None:
        """Write the rows (laid out by the database), counting them for the summary."""
        with (
            (self.out / "catalogue.csv").open("w", newline="", encoding="utf-8") as as_csv,
            (self.out / "catalogue.json").open("w", encoding="utf-8") as as_json,
        ):
            as_csv.write(",".join(PACKAGE_COLUMNS) + "\n")
            as_json.write("[")
            for rows in batches:
                as_csv.write("".join([row.csv for row in rows]))
                separator = ",\n" if self.count else "\n"
                as_json.write(separator + ",\n".join([row.json for row in rows]))
                self.count += len(rows)
                self.held += sum(row.held for row in rows)
                self.per_class_month.update((row.record_class, row.formed_month) for row in rows)
            as_json.write("\n]\n")

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
