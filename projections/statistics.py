"""Monthly statistics (月报) and annual summaries, kept by the archive catalogue.

Each event adds to the figures of the month it is filed in and of that month's year; when
the region records its first event of a later month, the month's figures become a monthly
report record (and a year's, when the year has turned, an annual summary).
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Integer, MetaData, Table

from domain.money import ZERO
from projections.batch import Batch, Row
from projections.events import Recorded
from projections.sqltypes import Money, Str

COUNTS = ("events", "enrollments", "settled_count", "reversed_count", "rejected_count")
AMOUNTS = (
    "settled_total",
    "settled_fund_pay",
    "settled_account_pay",
    "settled_cash_pay",
    "contributions",
    "disbursements",
    "recoveries",
    "offsets",
    "clawed_back",
    "penalties",
)
# The events whose fields the figures read (the only ones decoded for them).
FIGURE_EVENTS = frozenset(
    {
        "Settlement.Settled",
        "Settlement.ClawedBack",
        "FundAccount.ContributionReceived",
        "FundAccount.Disbursed",
        "FundAccount.RecoveryReceived",
        "FundAccount.ClearingRecoveryReceived",
        "Clawback.Assessed",
    }
)
RECOVERIES = ("FundAccount.RecoveryReceived", "FundAccount.ClearingRecoveryReceived")


def statistics_table(metadata: MetaData, prefix: str) -> Table:
    return Table(
        f"{prefix}_statistics",
        metadata,
        Column("period", Str(7), primary_key=True),  # "2026-03" or "2026"
        *(Column(name, Integer, nullable=False) for name in COUNTS),
        *(Column(name, Money, nullable=False) for name in AMOUNTS),
    )


def figures_of(r: Recorded) -> dict[str, Any]:
    """What one event adds to its period's statistics."""
    kind = r.event_type
    figures: dict[str, Any] = {"events": 1}
    if kind == "InsuredPerson.Enrolled":
        figures["enrollments"] = 1
    elif kind == "Settlement.Settled":
        result = r.event.result
        figures |= {
            "settled_count": 1,
            "settled_total": result.total,
            "settled_fund_pay": result.fund_pay,
            "settled_account_pay": result.account_pay,
            "settled_cash_pay": result.cash_pay,
        }
    elif kind == "Settlement.Rejected":
        figures["rejected_count"] = 1
    elif kind == "Settlement.Reversed":
        figures["reversed_count"] = 1
    elif kind == "Settlement.ClawedBack":
        figures["clawed_back"] = r.event.basic + r.event.major
    else:
        figures |= _money_figures(r)
    return figures


def _money_figures(r: Recorded) -> dict[str, Decimal]:
    if r.event_type in RECOVERIES:
        # Only a payment brings cash in; an offset is withheld from a later disbursement.
        return {"offsets" if r.event.method == "offset" else "recoveries": r.event.amount}
    field = {
        "FundAccount.ContributionReceived": "contributions",
        "FundAccount.Disbursed": "disbursements",
    }.get(r.event_type)
    if field is not None:
        return {field: r.event.amount}
    if r.event_type == "Clawback.Assessed":
        return {"penalties": r.event.penalty}
    return {}


def add(batch: Batch, period: str, figures: dict[str, Any]) -> None:
    row = batch.get("statistics", period) or empty(period)
    for name, value in figures.items():
        row[name] += value
    batch.put("statistics", row)


def empty(period: str) -> Row:
    return {"period": period, **dict.fromkeys(COUNTS, 0), **dict.fromkeys(AMOUNTS, ZERO)}


def digest(row: Row) -> str:
    """SHA-256 of the figures as canonical JSON (sorted keys, amounts as strings)."""
    plain = {k: str(v) if isinstance(v, Decimal) else v for k, v in row.items()}
    text = json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
