"""The run's report: `benchmarks/results/<date>-<machine>.json`, a Markdown table beside it
(`.md`) and a chart (`.png`)."""

from __future__ import annotations

import json
import os
import platform
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.result import ScenarioResult

RESULTS = Path(__file__).parent / "results"
README = Path(__file__).parents[1] / "README.md"
MARKERS = ("<!-- bench-table -->", "<!-- /bench-table -->")


def machine() -> dict[str, Any]:
    return {
        "host": socket.gethostname(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": os.getloadavg(),
    }


def write(results: list[ScenarioResult], size: str, directory: Path = RESULTS) -> Path:
    """Write the three files; returns the JSON's path."""
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    host = machine()
    stem = f"{now:%Y-%m-%d}-{host['host']}" + ("" if size == "full" else f"-{size}")
    document = {
        "taken_at": now.isoformat(timespec="seconds"),
        "size": size,
        "machine": host,
        "results": [r.as_json() for r in results],
    }
    path = directory / f"{stem}.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    table = markdown(results, host, now)
    (directory / f"{stem}.md").write_text(table)
    chart(results, directory / f"{stem}.png")
    if size == "full" and directory == RESULTS:
        show_in_readme(table, f"results/{stem}.png")
    return path


def show_in_readme(table: str, chart_path: str, readme: Path = README) -> None:
    """Put the latest full run's table (and a link to its chart) between the README's markers."""
    text = readme.read_text()
    start, end = MARKERS
    if start not in text or end not in text:
        return
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    block = f"{start}\n{table}\nChart: [`benchmarks/{chart_path}`](benchmarks/{chart_path}).\n{end}"
    readme.write_text(before + block + after)


def markdown(results: list[ScenarioResult], host: dict[str, Any], when: datetime) -> str:
    lines = [
        f"Taken {when:%Y-%m-%d %H:%M} UTC on `{host['host']}` ({host['cpus']} CPUs, Python "
        f"{host['python']}, load average {host['load_average'][0]:.1f}).",
        "",
        "| scenario | backend | figures | same-run baseline | ratio | targets | met | checks |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        checks = "ok" if r.checks and all(r.checks.values()) else _failed(r)
        met = "—" if r.met is None else ("yes" if r.met else "**no**")
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}×"
        targets = ", ".join(f"{k} {v}" for k, v in r.targets.items()) or "—"
        lines.append(
            f"| {r.scenario} | {r.backend} | {_figures(r.figures)} | {_figures(r.baseline)} "
            f"| {ratio} | {targets} | {met} | {checks} |"
        )
    return "\n".join(lines) + "\n"


def _failed(result: ScenarioResult) -> str:
    failed = [name for name, ok in result.checks.items() if not ok]
    return "**failed: " + ", ".join(failed or ["none reported"]) + "**"


def _figures(figures: dict[str, float]) -> str:
    return "<br>".join(f"{k} {_number(v)}" for k, v in figures.items()) or "—"


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def chart(results: list[ScenarioResult], path: Path) -> None:
    """Each scenario's headline ratio to its same-run baseline, one bar per backend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rated = [r for r in results if r.ratio is not None]
    labels = [f"{r.scenario}\n{r.backend}" for r in rated]
    figure, axes = plt.subplots(figsize=(max(6.0, 1.4 * len(rated)), 4.0))
    colours = ["#4c72b0" if r.backend == "postgres" else "#55a868" for r in rated]
    axes.bar(range(len(rated)), [r.ratio or 0.0 for r in rated], color=colours)
    axes.axhline(1.0, color="grey", linewidth=0.8, linestyle="--")
    axes.set_xticks(range(len(rated)), labels, fontsize=7)
    axes.set_ylabel("ratio to the same-run baseline")
    axes.set_title("yibao benchmarks (higher is better)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
