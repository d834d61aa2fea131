"""Fund pay per agreement, year and scheme, and the budgets cleared against it (part of the
`balances` projection).

A budget is part of its agreement (DOMAIN.md §4b): its `A` is the fund pay of the claims
settled under that agreement (the settlement names it), never the institution's other
agreements'. A confirmed clearing's "fund pays" figure (and each correction of it) is kept
on the same row: the institution's position counts it instead of that row's fund pay (§4).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Connection, Integer, MetaData, Table, Uuid, select

from domain.money import ZERO
from domain.position import Cleared
from projections.batch import Batch, Row
from projections.events import Recorded
from projections.sqltypes import Money, Str

FIGURES = ("settled_fund_pay", "reversed_fund_pay", "clawed_back")


def agreement_tables(metadata: MetaData, prefix: str) -> dict[str, Table]:
    return {
        "agreement_years": Table(
            f"{prefix}_agreement_years",
            metadata,
            Column("agreement_id", Uuid, primary_key=True),
            Column("year", Integer, primary_key=True, autoincrement=False),
            Column("scheme", Str(16), primary_key=True),
            Column("institution_code", Str(12), nullable=False),
            *(Column(name, Money, nullable=False) for name in FIGURES),
            Column("cleared_fund_pays", Money),  # None until a clearing is confirmed
        ),
        "budgets": Table(
            f"{prefix}_budgets",
            metadata,
            Column("budget_id", Uuid, primary_key=True),
            Column("agreement_id", Uuid, nullable=False),
            Column("institution_code", Str(12), nullable=False),
            Column("year", Integer, nullable=False),
            Column("scheme", Str(16), nullable=False),
            Column("proposed_fund_pays", Money),
        ),
    }


def add(
    batch: Batch,
    agreement_id: UUID | None,
    year: int,
    scheme: str | None,
    code: str,
    **amounts: Any,
) -> None:
    """Add to the agreement's year and scheme (claims without an agreement count nowhere)."""
    if agreement_id is None or scheme is None:
        return
    row = _year(batch, agreement_id, year, scheme, code)
    for name, amount in amounts.items():
        row[name] += amount
    batch.put("agreement_years", row)


def budget_issued(batch: Batch, r: Recorded) -> None:
    e = r.event
    batch.put(
        "budgets",
        {
            "budget_id": r.originator_id,
            "agreement_id": e.agreement_id,
            "institution_code": e.institution_code,
            "year": e.year,
            "scheme": e.scheme,
            "proposed_fund_pays": None,
        },
    )


def clearing_proposed(batch: Batch, r: Recorded) -> None:
    budget = batch.get("budgets", r.originator_id)
    if budget is not None:
        batch.put("budgets", {**budget, "proposed_fund_pays": r.event.clearing.fund_pays})


def clearing_confirmed(batch: Batch, r: Recorded) -> None:
    budget = batch.get("budgets", r.originator_id)
    if budget is not None:
        _clear(batch, budget, budget["proposed_fund_pays"])


def clearing_corrected(batch: Batch, r: Recorded) -> None:
    budget = batch.get("budgets", r.originator_id)
    if budget is not None:
        _clear(batch, budget, r.event.fund_pays)


def net_fund_pay(row: Row) -> Decimal:
    """The agreement's fund pay of the year and scheme, net of reversals and clawbacks."""
    net: Decimal = row["settled_fund_pay"] - row["reversed_fund_pay"] - row["clawed_back"]
    return net


def cleared(rows: list[Row]) -> list[Cleared]:
    """The confirmed clearings among an institution's agreement years."""
    return [
        Cleared(fund_pays=r["cleared_fund_pays"], fund_pay=net_fund_pay(r))
        for r in rows
        if r["cleared_fund_pays"] is not None
    ]


def _clear(batch: Batch, budget: Row, fund_pays: Decimal) -> None:
    key = (budget["agreement_id"], budget["year"], budget["scheme"])
    row = _year(batch, *key, budget["institution_code"])
    batch.put("agreement_years", {**row, "cleared_fund_pays": fund_pays})


def _year(batch: Batch, agreement_id: UUID, year: int, scheme: str, code: str) -> Row:
    return batch.get("agreement_years", agreement_id, year, scheme) or {
        "agreement_id": agreement_id,
        "year": year,
        "scheme": scheme,
        "institution_code": code,
        **dict.fromkeys(FIGURES, ZERO),
        "cleared_fund_pays": None,
    }


# --- queries ---------------------------------------------------------------------------


def fund_pay(
    connection: Connection, table: Table, agreement_id: UUID, year: int, scheme: str | None
) -> Decimal:
    """The agreement's fund pay of the year (of one scheme, or all), net of reversals and
    clawbacks: what its budgets are measured on (§4b)."""
    where = (table.c.agreement_id == agreement_id) & (table.c.year == year)
    if scheme is not None:
        where = where & (table.c.scheme == scheme)
    rows = connection.execute(select(table).where(where)).mappings()
    return sum((net_fund_pay(dict(r)) for r in rows), ZERO)


def of_institution(connection: Connection, table: Table, institution_code: str) -> list[Row]:
    found = connection.execute(select(table).where(table.c.institution_code == institution_code))
    return [dict(r) for r in found.mappings()]
