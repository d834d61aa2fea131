"""`yibao projections …` and `yibao audit …` (the read side and the auditors' tools)."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from interfaces.bootstrap import READ_SIDE_KEY_CACHE, Container, build, build_runner
from interfaces.parallel_rebuild import rebuild_in_parallel
from interfaces.settings import Settings
from interfaces.supervisor import stop_when_orphaned
from projections import tracking
from projections.catalog import NAMES, PROJECTION_CLASSES
from projections.rebuild import EvidenceDiffers, needs_rebuild
from projections.runtime import BATCH_SIZE, ProjectionFailed, Runner
from projections.store import head

console = Console()
errors = Console(stderr=True)
projections_app = typer.Typer(no_args_is_help=True, help="The read side: run, watch, rebuild.")
audit_app = typer.Typer(no_args_is_help=True, help="Auditors' tools.")


def register(app: typer.Typer) -> None:
    """Add the projection and audit command groups to the main CLI."""
    app.add_typer(projections_app, name="projections")
    app.add_typer(audit_app, name="audit")


def _runner(container: Container, names: list[str] | None, batch_size: int = BATCH_SIZE) -> Runner:
    try:
        return build_runner(container, names, batch_size=batch_size)
    except KeyError as unknown:
        errors.print(str(unknown.args[0]))
        raise typer.Exit(2) from None


@projections_app.command("run")
def run(
    names: list[str] | None = typer.Argument(None, help=f"projections to run: {', '.join(NAMES)}"),
    all_: bool = typer.Option(False, "--all", help="run every projection"),
    batch_size: int = typer.Option(
        BATCH_SIZE, "--batch-size", min=1, help="events per transaction"
    ),
) -> None:
    """Follow the log in the foreground until Ctrl-C (the current batch finishes first)."""
    if not names and not all_:
        errors.print("name the projections to run, or pass --all")
        raise typer.Exit(2)
    container = build(Settings(), key_cache=READ_SIDE_KEY_CACHE)
    stop = threading.Event()

    def request_stop(_signal: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        runner = _runner(container, None if all_ else names, batch_size)
        stop_when_orphaned(stop)
        console.print(f"following the log: {', '.join(runner.projections)} (Ctrl-C stops)")
        runner.run(stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        container.close()
    console.print("stopped")


@projections_app.command("status")
def status() -> None:
    """Each projection's generation, position, the log's head, the lag, and the failure a
    projection is stopped at."""
    container = build(Settings())
    try:
        with container.engine.connect() as connection:
            found = tracking.registered(connection)
            top = head(connection)
            stale = {
                p.name
                for p in PROJECTION_CLASSES
                if p.name in found and needs_rebuild(connection, p, found[p.name].live.generation)
            }
    finally:
        container.close()
    table = Table(title=f"projections (log head {top})")
    columns = ("projection", "generation", "position", "lag", "progress (UTC)", "rebuild", "error")
    for column in columns:
        table.add_column(column, overflow="fold")
    for name in NAMES:
        entry = found.get(name)
        if entry is None:
            table.add_row(name, "—", "—", "—", "—", "not built: run `projections rebuild`", "")
            continue
        live, building = entry.live, entry.building
        at = live.last_progress_at
        progress = at.strftime("%m-%d %H:%M:%S") if at else "never"
        rebuilding = f"v{building.generation} at {building.position}" if building else ""
        if building is not None and building.failed:
            rebuilding += f", stopped at {building.error_position}"
        if name in stale:
            rebuilding = "needed (schema)"
        failed = f"at {live.error_position}: {live.error}" if live.failed else ""
        table.add_row(
            name,
            f"v{live.generation}",
            str(live.position),
            str(top - live.position),
            progress,
            rebuilding,
            failed,
        )
    console.print(table)
    if any(entry.live.failed for entry in found.values()):
        raise typer.Exit(1)


@projections_app.command("rebuild")
def rebuild(
    names: list[str] | None = typer.Argument(None, help=f"projections: {', '.join(NAMES)}"),
    all_: bool = typer.Option(False, "--all", help="rebuild every projection"),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        help="processes to split the projections among [default: 2 on PostgreSQL, 1 on SQLite]",
    ),
) -> None:
    """Build the next generation from position 0 beside the live one (or resume one left
    unfinished), then switch to it — unless it disagrees with the live one's hashes."""
    if not names and not all_:
        errors.print("name the projections to rebuild, or pass --all")
        raise typer.Exit(2)
    chosen = list(NAMES) if all_ else list(dict.fromkeys(names or ()))
    unknown = sorted(set(chosen) - set(NAMES))
    if unknown:
        errors.print(f"no projection named {unknown[0]!r}; known: {', '.join(NAMES)}")
        raise typer.Exit(2)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    try:
        with Progress(*columns, TimeElapsedColumn(), console=console) as bar:
            task = bar.add_task(f"rebuilding {', '.join(chosen)}", total=None)

            def progress(position: int, goal: int) -> None:
                bar.update(task, completed=position, total=goal)

            built = rebuild_in_parallel(Settings(), chosen, workers=workers, progress=progress)
    except EvidenceDiffers as refused:
        errors.print(f"refused: {refused}")
        raise typer.Exit(1) from None
    except ProjectionFailed as failed:
        errors.print(f"stopped: {failed} (run the command again to resume once it is fixed)")
        raise typer.Exit(1) from None
    for name, generation in built.items():
        console.print(f"{name} v{generation.generation} is live at position {generation.position}")


@audit_app.command("verify")
def verify(
    from_: int | None = typer.Option(None, "--from", help="first position to check"),
    to: int | None = typer.Option(None, "--to", help="last position to check"),
) -> None:
    """Recompute the audit chain from the event store and compare it with the audit trail."""
    container = build(Settings())
    try:
        result = container.views.verify_chain(from_, to)
        with container.engine.connect() as connection:
            trail = tracking.live(connection, ["audit_trail"]).get("audit_trail")
    finally:
        container.close()
    console.print(f"checked: {result.checked}")
    console.print(f"head hash: {result.head_hash or '—'}")
    console.print(f"ok: {'yes' if result.ok else 'NO'}")
    console.print(f"first mismatching position: {result.first_mismatch_position or '—'}")
    console.print(f"trail lag: {result.trail_lag}")
    if result.trail_lag:
        console.print("(events the trail has not reached are not compared: run the projections)")
    if trail is not None and trail.failed:
        console.print(f"(the audit trail is stopped at {trail.error_position}: {trail.error})")
    if not result.ok:
        raise typer.Exit(1)
