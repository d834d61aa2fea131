"""Reading an institution's yearly totals for the budget routes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.money import ZERO


def fund_pay_of(totals: dict[str, Any] | None, scheme: str) -> Decimal:
    """The year's fund pay of one scheme, net of reversals and clawbacks (0 when nothing)."""
    if totals is None:
        return ZERO
    by_scheme = totals.get("by_scheme", {}).get(scheme, {})
    return Decimal(by_scheme.get("fund_pay", ZERO))
