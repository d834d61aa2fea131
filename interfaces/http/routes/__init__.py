"""Command routes (one module per aggregate family) and query routes, kept apart."""

from __future__ import annotations

from fastapi import APIRouter

from interfaces.http.routes import (
    agreements,
    archive,
    archive_commands,
    archive_packages,
    audit,
    balances,
    budgets,
    clawbacks,
    funds,
    lookups,
    persons,
    records,
    settlements,
)

COMMANDS = (
    persons,
    agreements,
    funds,
    budgets,
    clawbacks,
    settlements,
    archive_commands,
    archive_packages,
)
QUERIES = (lookups, records, balances, audit, archive)
ROUTERS: tuple[APIRouter, ...] = tuple(m.router for m in (*QUERIES, *COMMANDS))
