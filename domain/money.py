"""Money and ratios: yuan as ``Decimal`` with 2 places, one rounding rule (ROUND_HALF_UP)."""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")

_MONEY = re.compile(r"-?[0-9]+(\.[0-9]{1,2})?")
_RATIO = re.compile(r"[0-9]+(\.[0-9]{1,4})?")


def fen(value: Decimal | int | str) -> Decimal:
    """Round to the fen (0.01 yuan), half up: the one rounding helper of the project."""
    if isinstance(value, float):
        raise TypeError("money is never a float")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio_of(part: Decimal, whole: Decimal) -> Decimal:
    """`part / whole` to 4 places, half up like every other rounding (whole must not be 0)."""
    return (part / whole).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def parse_money(text: str) -> Decimal:
    """Parse a strict decimal string such as ``"1300.00"`` (at most 2 places)."""
    if not isinstance(text, str) or not _MONEY.fullmatch(text):
        raise ValueError("money must be a decimal string with at most 2 decimal places")
    try:
        return Decimal(text).quantize(CENT)
    except InvalidOperation as error:  # more digits than the context's precision
        raise ValueError("money has too many digits") from error


def ratio(text: str) -> Decimal:
    """Parse a non-negative ratio such as ``"0.65"`` (at most 4 places, kept to at least 2)."""
    if not isinstance(text, str) or not _RATIO.fullmatch(text):
        raise ValueError("a ratio must be a decimal string with at most 4 decimal places")
    value = Decimal(text)
    # "0.6" and "0.60" are the same ratio; show at least 2 places, as results do.
    return value.quantize(CENT) if value == value.quantize(CENT) else value


def allocate(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `amount` in proportion to `weights`, to the fen, summing exactly, never negative.

    Each part is first rounded down; the fen left over go one by one to the parts with the
    largest remainders (largest-remainder method), so no part exceeds its share by a fen more
    than rounding allows and, for `amount` ≤ Σ weights, no part exceeds its weight.
    """
    total = sum(weights, ZERO)
    if total <= ZERO:
        return [ZERO for _ in weights]
    exact = [amount * w / total for w in weights]
    parts = [e.quantize(CENT, rounding=ROUND_DOWN) for e in exact]
    leftover = int((amount - sum(parts, ZERO)) / CENT)
    by_remainder = sorted(range(len(parts)), key=lambda i: parts[i] - exact[i])
    for i in by_remainder[:leftover]:
        parts[i] += CENT
    return parts
