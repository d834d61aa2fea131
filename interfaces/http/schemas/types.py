"""The wire types shared by every schema: money as decimal strings, ratios, months, codes."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from domain.money import fen, parse_money

MONEY_PATTERN = r"^-?[0-9]{1,15}(\.[0-9]{1,2})?$"
MONEY_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": MONEY_PATTERN,
    "description": "yuan as a decimal string with 2 places, never a JSON number",
    "examples": ["1300.00"],
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
    if len(value) > 19:  # beyond a quadrillion yuan: no amount of this region, and no overflow
        raise PydanticCustomError("money_format", "money has at most 15 digits before the point")
    try:
        return parse_money(value)
    except (ValueError, ArithmeticError):
        raise PydanticCustomError(
            "money_format", "money must be a decimal string with at most 2 decimal places"
        ) from None


def money_text(value: Decimal) -> str:
    return f"{fen(value):.2f}"


def ratio_text(value: Decimal) -> str:
    """At least 2 places ("0.65", "1.00"), more only when the ratio has them ("0.675")."""
    normalised = value.normalize()
    exponent = normalised.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        return f"{value:.2f}"
    return f"{normalised:f}"


MoneyIn = Annotated[Decimal, BeforeValidator(_money_from_wire), WithJsonSchema(MONEY_SCHEMA)]
MoneyOut = Annotated[
    Decimal, PlainSerializer(money_text, return_type=str), WithJsonSchema(MONEY_SCHEMA)
]
RatioOut = Annotated[
    Decimal, PlainSerializer(ratio_text, return_type=str), WithJsonSchema(RATIO_SCHEMA)
]
Month = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}$", examples=["2026-03"])]
InstitutionCode = Annotated[
    str,
    Field(min_length=12, max_length=12, pattern=r"^[A-Za-z0-9]{12}$", examples=["H31010100001"]),
]
RegionCode = Annotated[str, Field(pattern=r"^[0-9]{6}$", examples=["310000"])]
Text = Annotated[str, Field(max_length=500)]
Reason = Annotated[str, Field(min_length=1, max_length=500, examples=["稽核发现违规"])]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Year = Annotated[int, Field(ge=1900, le=2999)]
Position = Annotated[int, Field(ge=0, description="global position of the last event written")]


class Inbound(BaseModel):
    """A request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Outbound(BaseModel):
    """A response body: only the fields it declares."""

    model_config = ConfigDict(extra="forbid")
