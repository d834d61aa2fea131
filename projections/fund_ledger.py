"""Fund accounts as the balances view keeps them: money in and out by recorded day and kind,
so a balance "as of" any date is a sum of day rows.

A recovery (of a clawback, or of a clearing amount owed back) is income only when it is paid
(`method == "payment"`). One by offset brings no cash: it is withheld from what the fund
owes the institution (DOMAIN.md §4; `FundAccount` does not add it to its balance either), so
it is kept under its own kinds (`offset`, `clearing_offset`), neither income nor outgo.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Date, MetaData, Table, Uuid

from domain.money import ZERO
from projections.batch import Batch
from projections.events import Recorded
from projections.projection import Handler
from projections.sqltypes import Money, Str

INCOME_KINDS = ("contribution", "recovery", "clearing_recovery")
OUTGO_KINDS = ("settlement", "prepayment", "clearing")
OFFSET_KINDS = ("offset", "clearing_offset")


def fund_tables(metadata: MetaData, prefix: str) -> dict[str, Table]:
    return {
        "funds": Table(
            f"{prefix}_funds",
            metadata,
            Column("fund_id", Uuid, primary_key=True),
            Column("scheme", Str(16), nullable=False),
            Column("layer", Str(16), nullable=False),
            Column("region_code", Str(6), nullable=False),
            Column("name", Str(200), nullable=False),
        ),
        "fund_days": Table(
            f"{prefix}_fund_days",
            metadata,
            Column("fund_id", Uuid, primary_key=True),
            Column("day", Date, primary_key=True),
            Column("kind", Str(32), primary_key=True),
            Column("amount", Money, nullable=False),
        ),
    }


def opened(batch: Batch, r: Recorded) -> None:
    e = r.event
    row = {"scheme": e.scheme, "layer": e.layer, "region_code": e.region_code, "name": e.name}
    batch.put("funds", {"fund_id": r.originator_id, **row})


def income(kind: str) -> Handler:
    def handle(batch: Batch, r: Recorded) -> None:
        add_day(batch, r, kind, r.event.amount)

    return handle


def recovery(paid: str, offset: str) -> Handler:
    """A recovery: income under `paid` when paid, under `offset` (not income) when offset."""

    def handle(batch: Batch, r: Recorded) -> None:
        add_day(batch, r, offset if r.event.method == "offset" else paid, r.event.amount)

    return handle


def outgo_kind(event: Any) -> str:
    kind = getattr(event, "kind", None)
    return kind if kind in OUTGO_KINDS else "settlement"


def add_day(batch: Batch, r: Recorded, kind: str, amount: Decimal) -> None:
    key = (r.originator_id, r.recorded_on, kind)
    row = batch.get("fund_days", *key) or {
        **dict(zip(("fund_id", "day", "kind"), key, strict=True)),
        "amount": ZERO,
    }
    batch.put("fund_days", {**row, "amount": row["amount"] + amount})


def fund_figures(fund: Mapping[str, Any], days: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Balance, income and outgo by kind of a fund from its day rows (already as of); the
    recoveries by offset beside them (they move no cash)."""
    money_in = dict.fromkeys(INCOME_KINDS, ZERO)
    money_out = dict.fromkeys(OUTGO_KINDS, ZERO)
    offsets = dict.fromkeys(OFFSET_KINDS, ZERO)
    for day in days:
        kind = day["kind"]
        side = money_in if kind in INCOME_KINDS else offsets if kind in OFFSET_KINDS else money_out
        side[kind] = side.get(kind, ZERO) + day["amount"]
    total_in, total_out = sum(money_in.values(), ZERO), sum(money_out.values(), ZERO)
    return {
        "fund_id": fund["fund_id"],
        "scheme": fund["scheme"],
        "layer": fund["layer"],
        "region_code": fund["region_code"],
        "name": fund["name"],
        "balance": total_in - total_out,
        "income": money_in,
        "outgo": money_out,
        "income_total": total_in,
        "outgo_total": total_out,
        "offsets": offsets,
    }
