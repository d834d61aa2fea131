"""`python -m benchmarks [--size smoke|full] [--backend sqlite|postgres|both] [--only NAME …]`

Runs every scenario of `benchmarks/scenarios/` on each backend and writes the report (see
`benchmarks/report.py`). Exits non-zero when a scenario's correctness checks fail; a full run
whose speed targets are not met still exits 0 and says so in the table.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.databases import BACKENDS
from benchmarks.harness import checks_hold, discover, run_all
from benchmarks.report import RESULTS, machine, markdown, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--size", choices=["smoke", "full"], default="full")
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--only", nargs="*", default=[], help="scenario names or modules")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the report goes")
    args = parser.parse_args(argv)
    found = discover(args.only)
    if not found:
        print("no scenario matched", file=sys.stderr)
        return 2
    backends = list(BACKENDS) if args.backend == "both" else [args.backend]
    results = run_all(found, args.size, backends)
    path = write(results, args.size, args.out)
    print(markdown(results, machine(), datetime.now(UTC)))
    print(f"report: {path} (+ .md, .png)", file=sys.stderr)
    return 0 if checks_hold(results) else 1


if __name__ == "__main__":
    sys.exit(main())
