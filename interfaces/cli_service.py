"""`yibao serve` and `yibao token …` (the HTTP service and its credentials)."""

from __future__ import annotations

import contextlib
import getpass
import json
import shlex
from typing import Any
from uuid import UUID, uuid4

import typer
from rich.console import Console

from application.context import ARCHIVIST, AUDITOR, INSTITUTION, SYSTEM, Actor, Context
from domain.errors import AlreadyRevoked, DomainError
from interfaces.bootstrap import Container, build, build_runner
from interfaces.settings import Settings
from projections.queries.tokens import TokenEntry

console = Console()
errors = Console(stderr=True)
token_app = typer.Typer(no_args_is_help=True, help="API tokens: issue, revoke, list.")


def register(app: typer.Typer) -> None:
    """Add the service and token commands to the main CLI."""
    app.command("serve")(serve)
    app.add_typer(token_app, name="token")


def operator_context(purpose: str) -> Context:
    """Token changes are recorded under the operating-system user who ran the command."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Context(Actor(f"cli:{user}", SYSTEM), request_id=f"{purpose}-{uuid4().hex[:12]}")


def current_tokens(container: Container) -> list[TokenEntry]:
    """Every token issued so far: the `tokens` view, first brought up to the log's head (the
    CLI may run where no projection runner does; beside a running one, whichever claims a
    batch first applies it)."""
    build_runner(container, ["tokens"]).catch_up()
    return container.views.tokens()


@token_app.command("issue")
def issue(
    role: str = typer.Option(..., help="agency | institution | auditor | archivist"),
    institution: str | None = typer.Option(None, help="the institution code (institution role)"),
    name: str = typer.Option(
        "", help="a label for the token (a system, a desk; not a person's name)"
    ),
) -> None:
    """Issue a token and print it (once: only its hash is kept)."""
    container = build(Settings())
    try:
        issued = container.region.issue_token(
            operator_context("token-issue"), role=role, institution_code=institution, name=name
        )
    except DomainError as refused:
        errors.print(f"{refused.code}: {refused.detail}")
        raise typer.Exit(1) from None
    finally:
        container.close()
    print(issued.token)


@token_app.command("revoke")
def revoke(token_id: UUID = typer.Argument(..., help="the id `yibao token list` shows")) -> None:
    """Revoke a token: it authenticates nobody from now on."""
    container = build(Settings())
    try:
        container.region.revoke_token(operator_context("token-revoke"), token_id)
    except DomainError as refused:
        errors.print(f"{refused.code}: {refused.detail}")
        raise typer.Exit(1) from None
    finally:
        container.close()
    console.print(f"revoked {token_id}")


@token_app.command("list")
def list_tokens() -> None:
    """Every token issued, with its role and state (never the token itself)."""
    container = build(Settings())
    try:
        entries = current_tokens(container)
    finally:
        container.close()
    # One token a line, tab-separated, so scripts can read it (no token is ever shown).
    print("id\trole\tinstitution\tname\tissued_at\tstate")
    for t in entries:
        state = "revoked" if t.revoked else "active"
        fields = (t.token_id, t.role, t.institution_code or "-", t.name, t.issued_at.isoformat())
        print("\t".join(map(str, (*fields, state))))


def serve(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
    workers: int = typer.Option(1, min=1, help="worker processes"),
    no_projections: bool = typer.Option(False, "--no-projections", help="serve without views"),
    projections_in_process: bool = typer.Option(
        False,
        "--projections-in-process",
        help="run the projection runner in a thread of this process (default: its own process)",
    ),
    print_tokens: bool = typer.Option(
        False,
        "--print-tokens",
        help="demo only: revoke the tokens an earlier --print-tokens issued, issue a new agency "
        "and demo-hospital token and print them (stdout) with a ready curl line",
    ),
) -> None:
    """Serve the HTTP API; the projection runner follows the log in a supervised process."""
    import uvicorn

    from interfaces.bootstrap import start_projections
    from interfaces.http.access_log import log_config
    from interfaces.http.app import create_app
    from interfaces.supervisor import SupervisedRunner

    container = build(Settings())
    if print_tokens:
        print_demo_tokens(container, host, port)
    runner: Any = None
    if projections_in_process and not no_projections:
        runner = start_projections(container)
    elif not no_projections:
        runner = SupervisedRunner()
    container.start_forgetting()
    try:
        target: Any = create_app(container)
        if workers > 1:
            # Each worker builds its own container; views stay with this process's runner.
            target = "interfaces.http.app:app_from_environment"
        uvicorn.run(
            target,
            host=host,
            port=port,
            workers=workers,
            factory=workers > 1,
            log_config=log_config(),
            access_log=False,  # the app writes its own (interfaces/http/access_log.py)
        )
    finally:
        if runner is not None:
            runner.stop()
        container.close()


DEMO_TOKEN_PREFIX = "make run: "


def print_demo_tokens(container: Container, host: str, port: int) -> None:
    """An agency token, an institution token for the demo hospital, a curl that settles, an
    auditor and an archivist token for the console.

    They are demo tokens: each start revokes the ones the previous start printed (found by
    their names), so a restarted demo leaves no forgotten credentials behind."""
    from interfaces.demo import HOSPITAL_L1, sample_settlement

    region = container.region
    ctx = operator_context("serve-print-tokens")
    names = {role: f"{DEMO_TOKEN_PREFIX}{role}" for role in ("agency", AUDITOR, ARCHIVIST)}
    hospital_name = f"{DEMO_TOKEN_PREFIX}{HOSPITAL_L1}"
    for earlier in current_tokens(container):
        if earlier.name in (*names.values(), hospital_name) and not earlier.revoked:
            with contextlib.suppress(AlreadyRevoked):  # another start revoked it meanwhile
                region.revoke_token(ctx, earlier.token_id)
    tokens = {role: region.issue_token(ctx, role=role, name=n).token for role, n in names.items()}
    hospital = region.issue_token(
        ctx, role=INSTITUTION, institution_code=HOSPITAL_L1, name=hospital_name
    )
    body = sample_settlement(region, f"CURL-{uuid4().hex[:12]}")
    curl = " ".join(
        [
            "curl -sS -X POST",
            shlex.quote(f"http://{host}:{port}/v1/settlements"),
            "-H",
            shlex.quote(f"Authorization: Bearer {hospital.token}"),
            "-H 'Content-Type: application/json'",
            "-d",
            shlex.quote(json.dumps(body, ensure_ascii=False)),
        ]
    )
    print(f"agency token:      {tokens['agency']}")
    print(f"institution token: {hospital.token}  ({HOSPITAL_L1})")
    print("settle a claim for a demo person:")
    print(f"  {curl}")
    print(f"auditor token:     {tokens[AUDITOR]}")
    print(f"archivist token:   {tokens[ARCHIVIST]}")
    print(f"console: http://{host}:{port}/ (sign in with any of these tokens)")
    print("(demo tokens: the next --print-tokens start revokes them)", flush=True)
