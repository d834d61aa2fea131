"""The `yibao` command line (typer): database, demo region, and later the service and tools."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.table import Table

from interfaces.bootstrap import build
from interfaces.settings import ConfigurationError, Settings

app = typer.Typer(no_args_is_help=True, add_completion=False, help="yibao — 医保 settlement core")
db_app = typer.Typer(no_args_is_help=True, help="The database: create and migrate.")
app.add_typer(db_app, name="db")
console = Console()
errors = Console(stderr=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate every table yibao owns in the configured database."""
    from interfaces.migrate import upgrade

    settings = Settings()
    upgrade(settings)
    console.print(f"database ready: {_safe_url(settings)}")


@app.command()
def demo(
    load_only: bool = typer.Option(False, "--load-only", help="Load quietly; print only failures."),
) -> None:
    """Load the demo region and check every figure against DOMAIN.md (exit 1 on a mismatch)."""
    from interfaces.demo import load_demo

    container = build(Settings())
    try:
        checks = load_demo(container.region)
    finally:
        container.close()
    failures = [c for c in checks if not c.ok]
    if not load_only or failures:
        table = Table(title="yibao demo region — DOMAIN.md worked examples")
        for column in ("case", "figure", "expected", "actual", ""):
            table.add_column(column)
        for c in checks:
            mark = "[green]✓[/]" if c.ok else "[red]✗[/]"
            table.add_row(c.case, c.figure, c.expected, c.actual, mark)
        console.print(table)
    if failures:
        errors.print(f"{len(failures)} figure(s) differ from DOMAIN.md")
        raise typer.Exit(1)
    console.print(f"demo region loaded: {len(checks)} figures match DOMAIN.md")


def _safe_url(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.resolved_database_url()).render_as_string(hide_password=True)


def _register_command_groups() -> None:
    # Each group lives in its own module; they add their commands to `app`.
    from interfaces import cli_archive, cli_projections, cli_service

    cli_projections.register(app)
    cli_service.register(app)
    cli_archive.register(app)


_register_command_groups()


def main() -> None:
    try:
        app()
    except ConfigurationError as error:
        errors.print(f"yibao: {error}")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
