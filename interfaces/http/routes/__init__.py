"""Command routes (one module per aggregate family) and query routes, kept apart."""

from __future__ import annotations

from fastapi import APIRouter

from interfaces.http.routes import (
    agreements,
    archive,
    archive_commands,
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

COMMANDS = (persons, agreements, funds, budgets, clawbacks, settlements, archive_commands)
QUERIES = (lookups, records, balances, audit, archive)
ROUTERS: tuple[APIRouter, ...] = tuple(m.router for m in (*QUERIES, *COMMANDS))
