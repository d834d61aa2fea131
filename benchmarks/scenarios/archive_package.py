"""A retention package of the whole log (1M events at full size), exported and verified,
against a plain JSON-lines dump of the same events in the same run.

The log is a synthetic region's real events (settlements through the application), copied
under fresh aggregate ids until it holds the size asked (stored rows, written straight into
the event store: setting up 1M events through the commands would take the run's whole
budget). The catalogue and the audit trail are projected before the clock starts. Memory is
sampled during export and verification (resident set, /proc): it must stay flat.

Checks: the bag is valid (bagit full validation) and its recomputed chain ends at the trail's
head; the package carries every event.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from sqlalchemy import Engine, text

from benchmarks.databases import fresh_database
from benchmarks.result import ScenarioResult, Size
from benchmarks.synthetic import SyntheticRegion, institution_context
from interfaces.archive_package.export import export_package
from interfaces.archive_package.spec import PackageSpec
from interfaces.archive_package.verify import verify_package
from interfaces.bootstrap import build
from projections.catalog import build_projections
from projections.runtime import Runner
from projections.store import events_table

NAME = "archive_package"
SIZES: dict[str, dict[str, int]] = {
    "smoke": {"claims": 60, "events": 5_000},
    "full": {"claims": 600, "events": 1_000_000},
}
TARGETS = {"export_and_verify_s": "< 60", "rss_growth_mb": "< 200"}
COPY_CHUNK = 5000


def run(size: Size, backend: str) -> ScenarioResult:
    shape = SIZES[size]
    with fresh_database(backend) as settings, tempfile.TemporaryDirectory() as tmp:
        container = build(settings)
        try:
            _real_events(container.region, shape["claims"])
            events = _copy_until(container.engine, shape["events"])
            started = time.perf_counter()
            names = ["archive_catalogue", "archive_holds", "audit_trail"]
            projections = build_projections(container.region.region_code, names)
            Runner(container.log, container.engine, projections, batch_size=2000).catch_up()
            setup_s = time.perf_counter() - started
            spec = PackageSpec(date(1900, 1, 1), date(2999, 12, 31))
            bag = Path(tmp) / "bag"

            def package() -> Any:
                export_package(
                    container.engine, container.views, spec, bag, source_organisation="bench"
                )
                return verify_package(bag)

            (seconds, growth), verdict = _measured(package)
            (dump_s, dump_growth), _ = _measured(lambda: _dump(container.engine, Path(tmp)))
            trail_head = container.views.verify_chain(None, None).head_hash
        finally:
            container.close()
    checks = {
        "bag_valid_and_chain_verified": verdict.ok,
        "every_event_packaged": verdict.events == events,
        "chain_head_is_the_trails": trail_head is not None and trail_head in verdict.detail,
    }
    met = None if size == "smoke" else seconds < 60 and growth < 200
    return ScenarioResult(
        scenario=NAME,
        backend=backend,
        size=size,
        figures={
            "export_and_verify_s": seconds,
            "events_per_s": events / seconds,
            "rss_growth_mb": growth,
        },
        baseline={"plain_jsonl_dump_s": dump_s, "plain_dump_rss_growth_mb": dump_growth},
        ratio=dump_s / seconds,
        targets=TARGETS,
        met=met,
        checks=checks,
        notes=f"{events} events; projections caught up before timing ({setup_s:.1f} s); "
        "ratio = plain dump time / (export + verification) time",
    )


def _real_events(region: Any, claims: int) -> None:
    synthetic = SyntheticRegion(persons=40, institutions=4)
    synthetic.load(region)
    for request in synthetic.claims(claims):
        region.settle(institution_context(request.institution_code, request.request_id), request)


def _copy_until(engine: Engine, wanted: int) -> int:
    """Copy the stored events under fresh aggregate ids until the log holds `wanted`."""
    table, position = events_table(engine.dialect.name)
    with engine.connect() as connection:
        template = connection.execute(
            text(
                f"SELECT originator_id, originator_version, topic, state FROM {table} "
                f"ORDER BY {position}"
            )
        ).all()
        have = len(template)
    insert = text(
        f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
        "VALUES (:id, :version, :topic, :state)"
    )
    generation = 0
    while have < wanted:
        generation += 1
        rows = []
        for originator, version, topic, state in template[: wanted - have]:
            copy = uuid5(NAMESPACE_URL, f"bench-copy:{generation}:{originator}")
            ident: Any = copy if engine.dialect.name == "postgresql" else str(copy)
            rows.append({"id": ident, "version": version, "topic": topic, "state": state})
        for start in range(0, len(rows), COPY_CHUNK):
            with engine.begin() as connection:
                connection.execute(insert, rows[start : start + COPY_CHUNK])
        have += len(rows)
    return have


def _dump(engine: Engine, directory: Path) -> None:
    """The baseline: every event as a JSON line, nothing else (no bag, no chain, no check)."""
    table, position = events_table(engine.dialect.name)
    query = text(
        f"SELECT {position}, originator_id, originator_version, topic, state "
        f"FROM {table} WHERE {position} > :after ORDER BY {position} LIMIT 5000"
    )
    after = 0
    with (directory / "dump.jsonl").open("w", encoding="utf-8") as out:
        while True:
            with engine.connect() as connection:
                rows = connection.execute(query, {"after": after}).all()
            if not rows:
                return
            for p, originator, version, topic, state in rows:
                line = {
                    "position": p,
                    "aggregate_id": str(originator),
                    "version": version,
                    "topic": topic,
                    "state": bytes(state).decode("utf-8"),
                }
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
            after = int(rows[-1][0])


def _measured(work: Callable[[], Any]) -> tuple[tuple[float, float], Any]:
    """(seconds, resident-set growth in MB at its peak) of `work`, and its value."""
    base = _rss_mb()
    peak = [base]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], _rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    try:
        value = work()
    finally:
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    return (seconds, max(peak[0], _rss_mb()) - base), value


def _rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20
