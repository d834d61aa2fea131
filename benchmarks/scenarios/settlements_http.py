"""HTTP settlements: `yibao serve` in its own process, a load generator in another (32
keep-alive connections, bounded time, ~1 % exact retries), against the library's naive loop
(32 threads) in the same run.

Checks: no error answer, every retry answered 200 with the first answer's settlement, every
201 stored once, the persons' accumulators exact, a reader following the log missed nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from application.context import Context
from application.settlements import SettlementRequest
from benchmarks.checks import LogTail, accumulators_exact, settlements_stored
from benchmarks.databases import fresh_database
from benchmarks.naive import naive_saves_per_s, percentile
from benchmarks.result import ScenarioResult, Size
from benchmarks.server import serving
from benchmarks.synthetic import YEAR, SyntheticRegion
from domain.settlement import settlement_id
from interfaces.bootstrap import build

NAME = "settlements_http"
CONNECTIONS = 32
SIZES: dict[str, dict[str, float]] = {
    "smoke": {"persons": 12, "institutions": 4, "templates": 40, "seconds": 2, "naive": 150},
    "full": {"persons": 400, "institutions": 8, "templates": 2000, "seconds": 20, "naive": 4000},
}
# Unmeasured load first, so the measured run sees the steady state (warm caches, as a server
# that has run for a while), not the first load of every person.
WARM_UP_SECONDS: dict[str, float] = {"smoke": 0.5, "full": 6}
TARGETS = {
    "postgres": {"settlements_per_s": ">= 1000", "p99_ms": "< 100", "ratio": ">= 1"},
    "sqlite": {"settlements_per_s": ">= 300"},
}
SERVE_ARGUMENTS: tuple[str, ...] = ()
# 201 settled, 200 the same request again, 422 a recorded rejection (and its retries).
ANSWERED = (200, 201, 422)


def run(size: Size, backend: str) -> ScenarioResult:
    shape = SIZES[size]
    with fresh_database(backend) as settings, tempfile.TemporaryDirectory() as tmp:
        synthetic = SyntheticRegion(
            persons=int(shape["persons"]), institutions=int(shape["institutions"])
        )
        container = build(settings)
        try:
            synthetic.load(container.region)
            plan = _plan(container.region, synthetic, shape)
        finally:
            container.close()
        with serving(settings, *SERVE_ARGUMENTS, log=Path(tmp) / "serve.log") as server:
            plan["port"] = server.port
            warm_up = _generate(plan | {"duration": WARM_UP_SECONDS[size], "prefix": "W"}, tmp)
            cpu_before = server.cpu_seconds()
            with LogTail(settings) as tail:
                load = _generate(plan, tmp)
            server_cpu = server.cpu_seconds() - cpu_before
        baseline = naive_saves_per_s(settings, clients=CONNECTIONS, count=int(shape["naive"]))
        everything = {"answers": warm_up["answers"] + load["answers"]}
        checks = _checks(settings, synthetic, plan, everything, tail)
    answered = [a for a in load["answers"] if a[2] in ANSWERED]
    rate = len(answered) / load["elapsed"]
    latencies = load["latencies"]
    figures = {
        "settlements_per_s": rate,
        "p50_ms": 1000 * percentile(latencies, 50),
        "p95_ms": 1000 * percentile(latencies, 95),
        "p99_ms": 1000 * percentile(latencies, 99),
        "errors": float(len(load["answers"]) - len(answered)),
        "server_cpu_ms_per_settlement": 1000 * server_cpu / max(1, len(answered)),
    }
    targets = TARGETS.get(backend, {})
    ratio = rate / baseline
    return ScenarioResult(
        scenario=NAME,
        backend=backend,
        size=size,
        figures=figures,
        baseline={"naive_saves_per_s": baseline},
        ratio=ratio,
        targets=targets,
        met=None if size == "smoke" else _met(backend, figures, ratio),
        checks=checks,
        notes=f"{CONNECTIONS} connections for {shape['seconds']} s; first errors: "
        + "; ".join(load["errors"][:2]),
    )


def _generate(plan: dict[str, Any], tmp: str) -> dict[str, Any]:
    """Run the load generator (its own process) on the plan; its answers and latencies."""
    plan_path, result_path = Path(tmp) / "plan.json", Path(tmp) / "result.json"
    plan_path.write_text(json.dumps(plan, ensure_ascii=False))
    command = [sys.executable, "-m", "benchmarks.loadgen", str(plan_path), str(result_path)]
    subprocess.run(command, check=True)
    result: dict[str, Any] = json.loads(result_path.read_text())
    return result


def _met(backend: str, figures: dict[str, float], ratio: float) -> bool:
    if backend == "postgres":
        return (
            figures["settlements_per_s"] >= 1000
            and figures["p99_ms"] < 100
            and figures["errors"] == 0
            and ratio >= 1
        )
    return figures["settlements_per_s"] >= 300 and figures["errors"] == 0


def _plan(region: Any, synthetic: SyntheticRegion, shape: dict[str, float]) -> dict[str, Any]:
    tokens = {
        code: region.issue_token(
            Context(_operator()), role="institution", institution_code=code, name=f"bench {code}"
        ).token
        for code in {*synthetic.institution_codes, "H31019999999"}
    }
    claims = synthetic.claims(int(shape["templates"]), prefix="T", duplicates=0)
    return {
        "port": 0,
        "connections": CONNECTIONS,
        "duration": shape["seconds"],
        "duplicates": 0.01,
        "prefix": "L",
        "templates": [
            {"token": tokens[c.institution_code], "body": _body(c), "code": c.institution_code}
            for c in claims
        ],
    }


def _operator() -> Any:
    from application.context import SYSTEM, Actor

    return Actor("bench-operator", SYSTEM)


def _body(request: SettlementRequest) -> str:
    return json.dumps(
        {
            "request_id": "__RID__",
            "institution_code": request.institution_code,
            "person_id": str(request.person_id),
            "visit_id": "V-__RID__",
            "visit_type": request.visit_type,
            "service_date": request.service_date.isoformat(),
            "diagnosis_code": request.diagnosis_code,
            "items": [
                {
                    "code": i.code,
                    "name": i.name,
                    "category": i.category,
                    "quantity": str(i.quantity),
                    "unit_price": str(i.unit_price),
                    "amount": str(i.amount),
                }
                for i in request.items
            ],
        },
        ensure_ascii=False,
    )


def _checks(
    settings: Any,
    synthetic: SyntheticRegion,
    plan: dict[str, Any],
    load: dict[str, Any],
    tail: LogTail,
) -> dict[str, bool]:
    statuses: dict[str, list[int]] = {}
    codes: dict[str, str] = {}
    for index, rid, status in load["answers"]:
        statuses.setdefault(rid, []).append(status)
        codes[rid] = plan["templates"][index]["code"]
    once = all(_retried_alike(s) for s in statuses.values())
    ids = {settlement_id(codes[rid], rid) for rid in statuses}
    reader = build(settings)
    try:
        region = reader.region
        return {
            "no_error_answers": all(s in ANSWERED for _, _, s in load["answers"]),
            "retries_answered_from_the_record": once,
            "every_settlement_stored": settlements_stored(region, ids) == len(ids),
            "accumulators_exact": accumulators_exact(
                region, synthetic.person_ids, YEAR, Decimal("3000.00")
            ),
            "log_followed_without_loss": tail.missed_nothing(region),
        }
    finally:
        reader.close()


def _retried_alike(statuses: list[int]) -> bool:
    """A first answer settles (201) or rejects (422); a retry answers the same record."""
    first, retries = statuses[0], statuses[1:]
    again = 200 if first == 201 else 422
    return first in (201, 422) and all(status == again for status in retries)
