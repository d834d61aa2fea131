"""The wire types shared by every schema: money as decimal strings, ratios, months, codes,
texts, days and instants.

Every string that comes in (body, query or header) is one of the text types below, and none
of them admits a control character (Unicode category Cc, NUL included) or a lone surrogate:
they break storage (PostgreSQL refuses NUL in text) and logs. Free text (reasons, opinions)
may hold line feeds; ids and codes nothing. Days and instants are bounded to 1900–2999 so that
no conversion downstream (to UTC, to the region's day) can overflow.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from domain.money import fen, parse_money

MONEY_PATTERN = r"^-?[0-9]{1,15}(\.[0-9]{1,2})?$"
MONEY_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": MONEY_PATTERN,
    "description": "yuan as a decimal string with 2 places, never a JSON number",
    "examples": ["1300.00"],
}
# What a request may bring into the log: at most 13 ASCII digits before the point, 2 after.
MONEY_IN = re.compile(r"-?[0-9]{1,13}(\.[0-9]{1,2})?")
MONEY_IN_SCHEMA: dict[str, Any] = {
    **MONEY_SCHEMA,
    "pattern": f"^{MONEY_IN.pattern}$",
    "maxLength": 17,
    "description": "yuan as a decimal string: ASCII digits, at most 13 before the point and 2 "
    "after; never a JSON number",
}
PRICE_SCHEMA: dict[str, Any] = {
    **MONEY_IN_SCHEMA,
    "pattern": f"^{MONEY_IN.pattern.replace('-?', '')}$",
    "maxLength": 16,
    "description": "yuan as a decimal string with at most 2 places, not negative",
}
QUANTITY_IN = re.compile(r"[0-9]{1,10}(\.[0-9]{1,4})?")
QUANTITY_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {"type": "integer", "minimum": 1, "maximum": 9_999_999_999},
        {"type": "string", "pattern": f"^{QUANTITY_IN.pattern}$", "maxLength": 15},
    ],
    "description": "positive: a JSON integer, or a decimal string of ASCII digits (at most 10 "
    "before the point and 4 after)",
    "examples": ["1", 2],
}
RATIO_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": r"^[0-9]+(\.[0-9]+)?$",
    "description": "a ratio between 0 and 1 as a decimal string",
    "examples": ["0.65"],
}


def _money_from_wire(value: object) -> Decimal:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "money_type", 'money must be a decimal string such as "1300.00", not a JSON number'
        )
    if not MONEY_IN.fullmatch(value):  # ASCII only: Decimal() would read "１" and "1_000"
        raise PydanticCustomError(
            "money_format",
            "money must be a decimal string of ASCII digits, at most 13 before the point and 2 "
            "after",
        )
    return parse_money(value)


def _quantity_from_wire(value: object) -> Decimal:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**10:
        return Decimal(value)
    if isinstance(value, str) and QUANTITY_IN.fullmatch(value) and Decimal(value) > 0:
        return Decimal(value)
    raise PydanticCustomError(
        "quantity",
        "a quantity is a positive JSON integer or a decimal string of ASCII digits (at most 10 "
        "before the point and 4 after)",
    )


def _not_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise PydanticCustomError("money_sign", "must not be negative")
    return value


def money_text(value: Decimal) -> str:
    return f"{fen(value):.2f}"


def ratio_text(value: Decimal) -> str:
    """At least 2 places ("0.65", "1.00"), more only when the ratio has them ("0.675")."""
    normalised = value.normalize()
    exponent = normalised.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        return f"{value:.2f}"
    return f"{normalised:f}"


MoneyIn = Annotated[Decimal, BeforeValidator(_money_from_wire), WithJsonSchema(MONEY_IN_SCHEMA)]
PriceIn = Annotated[
    Decimal,
    BeforeValidator(_money_from_wire),
    AfterValidator(_not_negative),
    WithJsonSchema(PRICE_SCHEMA),
]
Quantity = Annotated[Decimal, BeforeValidator(_quantity_from_wire), WithJsonSchema(QUANTITY_SCHEMA)]
MoneyOut = Annotated[
    Decimal, PlainSerializer(money_text, return_type=str), WithJsonSchema(MONEY_SCHEMA)
]
RatioOut = Annotated[
    Decimal, PlainSerializer(ratio_text, return_type=str), WithJsonSchema(RATIO_SCHEMA)
]
# Bidirectional formatting characters (ALM, LRM, RLM, embeddings, overrides, isolates) make a
# name read differently from what is stored ("Trojan Source"): refused like control characters.
_BIDI = "\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069"
_CONTROL = re.compile(rf"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_CONTROL_BUT_LINE_FEED = re.compile(rf"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI}]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# The same rule in the published schema (ECMA-262 patterns), so clients and generators see it.
_PLAIN_PATTERN = rf"^[^\x00-\x1f\x7f-\x9f{_BIDI}]*$"
_FREE_TEXT_PATTERN = rf"^[^\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI}]*$"


def _refusing(control: re.Pattern[str]) -> BeforeValidator:
    """Runs before whitespace is stripped: a trailing tab or CR is refused, not trimmed."""

    def check(value: object) -> object:
        if isinstance(value, str):
            if control.search(value):
                raise PydanticCustomError(
                    "control_character",
                    "must not contain control or bidirectional formatting characters",
                )
            if _SURROGATE.search(value):
                raise PydanticCustomError("unicode", "must be valid Unicode text")
        return value

    return BeforeValidator(check)


Plain = _refusing(_CONTROL)
FreeText = _refusing(_CONTROL_BUT_LINE_FEED)


def _text(min_length: int, max_length: int, pattern: str = _PLAIN_PATTERN, **more: Any) -> Any:
    """Length bounds, and the schema's pattern (documentation: the validators above enforce)."""
    extra: dict[str, Any] = {"pattern": pattern}
    return Field(min_length=min_length, max_length=max_length, json_schema_extra=extra, **more)


Month = Annotated[
    str, Field(pattern=r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$", examples=["2026-03"]), Plain
]
InstitutionCode = Annotated[
    str,
    Field(min_length=12, max_length=12, pattern=r"^[A-Za-z0-9]{12}$", examples=["H31010100001"]),
    Plain,
]
RegionCode = Annotated[str, Field(pattern=r"^[0-9]{6}$", examples=["310000"]), Plain]
Reason = Annotated[str, _text(1, 500, _FREE_TEXT_PATTERN, examples=["稽核发现违规"]), FreeText]
Name = Annotated[str, _text(1, 200), Plain]
Identifier = Annotated[str, _text(1, 64), Plain]
"""A client's id (request id, visit id) or a catalogue code (item code)."""
Code = Annotated[str, _text(1, 32), Plain]
"""A short code (a record class)."""
DiagnosisCode = Annotated[str, _text(1, 32, examples=["J06.900"]), Plain]
NationalId = Annotated[str, _text(1, 32, examples=["310101196101050018"]), Plain]
QueryText = Annotated[str, _text(1, 200), Plain]
"""A filter in a query string (an event type, an actor id)."""
IdempotencyKey = Annotated[
    str,
    Field(min_length=1, max_length=64, pattern=r"^[!-~]+$", examples=["clawback-2026-0042"]),
    Plain,
]
Year = Annotated[int, Field(ge=1900, le=2999)]


def _json_integer(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("int_type", "must be a JSON integer (not 1.0, not a string)")
    return value


JsonInteger = BeforeValidator(_json_integer)
"""In a body an integer is a JSON integer (a query string carries text, so not there)."""
Position = Annotated[int, Field(ge=0, description="global position of the last event written")]

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
_EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
_LATEST = datetime(3000, 1, 1, tzinfo=UTC)


def _in_years(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError("date_range", "must be between 1900-01-01 and 2999-12-31")
    return value


def _instant_in_years(value: datetime) -> datetime:
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not _EARLIEST <= utc < _LATEST:
        raise PydanticCustomError(
            "datetime_range", "must be between 1900-01-01T00:00:00Z and 2999-12-31T23:59:59Z"
        )
    return value


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The published pattern says the years too (1900–2999), so a generated client refuses them.
DAY_PATTERN = r"^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def _day_text(value: object) -> object:
    """A day is a `YYYY-MM-DD` string: not a number (a Unix time), not an instant."""
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        raise PydanticCustomError("date_format", "a date is a YYYY-MM-DD string")
    return value


Day = Annotated[
    date,
    BeforeValidator(_day_text),
    AfterValidator(_in_years),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": DAY_PATTERN,
            "description": "YYYY-MM-DD, 1900–2999",
        }
    ),
]
_INSTANT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def _instant_text(value: object) -> object:
    """An instant is an RFC 3339 string with its offset, not a number of seconds."""
    if isinstance(value, str) and _INSTANT.fullmatch(value):
        return value
    if isinstance(value, datetime):
        return value
    raise PydanticCustomError("datetime_format", "an instant is RFC 3339 with an offset")


Instant = Annotated[
    AwareDatetime,
    BeforeValidator(_instant_text),
    AfterValidator(_instant_in_years),
    Field(description="RFC 3339 with offset, between 1900 and 2999 (UTC)"),
]


class Inbound(BaseModel):
    """A request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Outbound(BaseModel):
    """A response body: only the fields it declares. A key the views add that is not declared
    here is left out (published when a schema declares it), never a failed answer."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"additionalProperties": False})
