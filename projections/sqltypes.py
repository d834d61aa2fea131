"""Column types for view tables: exact money, strings any stored event may hold, instants.

SQLite has no exact decimal type (its NUMERIC affinity silently becomes REAL), so money is
TEXT there and NUMERIC(18,2) on PostgreSQL; both read back as `Decimal`. Ratios keep the
precision they were recorded with ("0.65", "0.6325"), so they are TEXT on both.

PostgreSQL refuses NUL in text, and an event already stored must never stop a view: every
string a view writes or compares goes through `Str`/`LongText`, which put U+FFFD in place of
NUL on both backends (so both store, and match, the same value).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Numeric, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

CENT = Decimal("0.01")
NUL = "\x00"
REPLACEMENT = "\ufffd"
EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)


def clean_text(value: str) -> str:
    """The string as a view stores it: NUL replaced by U+FFFD."""
    return value.replace(NUL, REPLACEMENT) if NUL in value else value


class Str(TypeDecorator[str]):
    """VARCHAR(n) that takes any string: NUL becomes U+FFFD (writes and comparisons)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else clean_text(value)


class LongText(TypeDecorator[str]):
    """TEXT that takes any string: NUL becomes U+FFFD (writes and comparisons)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else clean_text(value)


class Money(TypeDecorator[Decimal]):
    """Yuan with 2 places: NUMERIC(18,2) on PostgreSQL, a decimal string on SQLite."""

    impl = Numeric(18, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Text())
        return dialect.type_descriptor(Numeric(18, 2, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"money must be a Decimal, not {type(value).__name__}")
        exact = value.quantize(CENT) + 0  # "+ 0" turns -0.00 into 0.00
        return str(exact) if dialect.name == "sqlite" else exact

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).quantize(CENT)


class Ratio(TypeDecorator[Decimal]):
    """A ratio as the decimal string it was recorded with, on every backend."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class UtcDateTime(TypeDecorator[datetime]):
    """An instant, stored in UTC on every backend and read back timezone-aware.

    SQLite keeps no offset, so instants are converted to UTC before they are written and
    compared; PostgreSQL gets `timestamptz`. An instant with no UTC equivalent in Python
    (`0001-01-01T00:00+14:00`, `9999-12-31T23:59-10:00`, as a query filter may give) is
    clamped to the first or last representable instant: it orders the same against every
    instant a view holds.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("instants must be timezone-aware")
        utc = to_utc(value)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_utc(value: datetime) -> datetime:
    """The instant in UTC; clamped to the representable range at its ends."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return EARLIEST if value.year == datetime.min.year else LATEST
