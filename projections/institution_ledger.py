"""Institutions' yearly figures as the balances view keeps them, in total and per scheme.

Year attribution, so every figure has exactly one year: settlements, reversals and clawed
back fund pay count in the service date's year; disbursements in their period's year; a
clawback's penalty and recoveries in the year it was assessed (recorded); a budget's
clearing amounts in the budget's year. What an institution and the fund owe each other is its
position over all years (`position`, DOMAIN.md §4, the rule in `domain.position`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Integer, MetaData, Table

from domain.money import ZERO
from domain.position import Cleared, Position, obligation
from projections.batch import Batch, Row
from projections.fund_ledger import OUTGO_KINDS
from projections.sqltypes import Money, Str

SETTLEMENT_FIGURES = ("total", "fund_pay", "account_pay", "cash_pay")
YEAR_MONEY = (
    *(f"settled_{f}" for f in SETTLEMENT_FIGURES),
    *(f"reversed_{f}" for f in SETTLEMENT_FIGURES),
    "clawed_back",
    "penalties",
    *(f"disbursed_{k}" for k in OUTGO_KINDS),
    "owed_back",
    "recovered",
    "recovered_by_offset",
)
SCHEME_MONEY = ("settled_fund_pay", "reversed_fund_pay", "clawed_back")


def institution_tables(metadata: MetaData, prefix: str) -> dict[str, Table]:
    return {
        "institution_years": Table(
            f"{prefix}_institution_years",
            metadata,
            Column("institution_code", Str(12), primary_key=True),
            Column("year", Integer, primary_key=True, autoincrement=False),
            Column("settled_count", Integer, nullable=False),
            Column("reversed_count", Integer, nullable=False),
            *(Column(name, Money, nullable=False) for name in YEAR_MONEY),
            Column("budget", Money),
        ),
        # The budget cycle works per scheme (年终清算 per institution and scheme).
        "scheme_years": Table(
            f"{prefix}_scheme_years",
            metadata,
            Column("institution_code", Str(12), primary_key=True),
            Column("year", Integer, primary_key=True, autoincrement=False),
            Column("scheme", Str(16), primary_key=True),
            Column("settled_count", Integer, nullable=False),
            Column("reversed_count", Integer, nullable=False),
            *(Column(name, Money, nullable=False) for name in SCHEME_MONEY),
        ),
    }


def empty_year(code: str, year: int) -> Row:
    return {
        "institution_code": code,
        "year": year,
        "settled_count": 0,
        "reversed_count": 0,
        **dict.fromkeys(YEAR_MONEY, ZERO),
        "budget": None,
    }


def add(batch: Batch, code: str, year: int, scheme: str | None = None, **amounts: Any) -> None:
    """Add to the institution's year, and to its scheme's year when a scheme is named."""
    row = batch.get("institution_years", code, year) or empty_year(code, year)
    for name, amount in amounts.items():
        row[name] += amount
    batch.put("institution_years", row)
    if scheme is None:
        return
    per_scheme = batch.get("scheme_years", code, year, scheme) or {
        "institution_code": code,
        "year": year,
        "scheme": scheme,
        "settled_count": 0,
        "reversed_count": 0,
        **dict.fromkeys(SCHEME_MONEY, ZERO),
    }
    for name, amount in amounts.items():
        if name in per_scheme:
            per_scheme[name] += amount
    batch.put("scheme_years", per_scheme)


def set_budget(batch: Batch, code: str, year: int, budget: Decimal) -> None:
    row = batch.get("institution_years", code, year) or empty_year(code, year)
    batch.put("institution_years", {**row, "budget": budget})


# --- queries ---------------------------------------------------------------------------


def net_fund_pay(row: Mapping[str, Any]) -> Decimal:
    """The year's fund pay net of reversals and clawbacks (what budgets are measured on)."""
    fund_pay: Decimal = row["settled_fund_pay"] - row["reversed_fund_pay"] - row["clawed_back"]
    return fund_pay


def position(rows: Sequence[Mapping[str, Any]], clearings: Sequence[Cleared]) -> Position:
    """The institution's position with the fund over all its years (DOMAIN.md §4): the rule
    is `domain.position`; this only sums the view's figures into its terms."""
    return Position(
        obligation=obligation(sum((net_fund_pay(r) for r in rows), ZERO), clearings),
        disbursed=sum((r[f"disbursed_{k}"] for r in rows for k in OUTGO_KINDS), ZERO),
        repaid=sum((r["recovered"] - r["recovered_by_offset"] for r in rows), ZERO),
        penalties=sum((r["penalties"] for r in rows), ZERO),
    )


def year_summary(row: Mapping[str, Any], schemes: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """An institution's figures for one year, grouped as API.md lists them."""
    return {
        "institution_code": row["institution_code"],
        "year": row["year"],
        "settled": {"count": row["settled_count"]}
        | {f: row[f"settled_{f}"] for f in SETTLEMENT_FIGURES},
        "reversed": {"count": row["reversed_count"]}
        | {f: row[f"reversed_{f}"] for f in SETTLEMENT_FIGURES},
        "clawed_back": row["clawed_back"],
        "penalties": row["penalties"],
        "disbursed": sum((row[f"disbursed_{k}"] for k in OUTGO_KINDS), ZERO),
        "disbursed_by_kind": {k: row[f"disbursed_{k}"] for k in OUTGO_KINDS},
        "recovered": row["recovered"],
        "by_scheme": {
            s["scheme"]: {
                "settled_count": s["settled_count"],
                "reversed_count": s["reversed_count"],
                **{name: s[name] for name in SCHEME_MONEY},
                "fund_pay": net_fund_pay(s),
            }
            for s in schemes
        },
    }
