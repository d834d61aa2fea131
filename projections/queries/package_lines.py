"""A package's catalogue row laid out by the database: its CSV line and its JSON object.

A million rows are written at a time; the database formats them (in C, and on PostgreSQL in
its own process) and the package only writes the text. The forms are exactly what Python's
`csv.writer(lineterminator="\\n")` (minimal quoting, None as an empty cell, dates in ISO form,
booleans as True/False) and `json.dumps(row, sort_keys=True, ensure_ascii=False,
separators=(",", ":"))` give for the row (a test compares them).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, String, Subquery, case, cast, func, literal, or_
from sqlalchemy.sql.expression import ColumnElement as Element

PACKAGE_COLUMNS = (
    "archive_number",
    "record_class",
    "retention_code",
    "formed_date",
    "due_date",
    "held",  # decided when read (`catalogue.held_clause`)
    "volume_id",
    "position",
    "aggregate_id",
    "event_type",
    "period",
    "digest",
)
DATES = {"formed_date", "due_date"}
NUMBERS = {"position"}
PLAIN = DATES | NUMBERS | {"held", "aggregate_id", "digest"}  # never quoted in CSV


class PackageLine(NamedTuple):
    csv: str  # with its newline
    json: str  # the object, no separator
    held: bool
    record_class: str
    formed_month: str  # YYYY-MM


def package_lines(rows: Subquery, dialect: str) -> tuple[ColumnElement[Any], ...]:
    """The columns of `PackageLine` over a query of the records' `PACKAGE_COLUMNS` (`held`
    decided in it: a subquery, so that the hold's EXISTS runs once a row)."""
    texts = {name: _text(rows, name, dialect) for name in PACKAGE_COLUMNS}
    cells = [
        func.coalesce(texts[n] if n in PLAIN else _quoted(texts[n]), "") for n in PACKAGE_COLUMNS
    ]
    csv_line = _joined(cells, ",") + "\n"
    members = [
        literal(f'"{name}":', String) + func.coalesce(_json(texts[name], name, dialect), "null")
        for name in sorted(PACKAGE_COLUMNS)
    ]
    json_object = literal("{", String) + _joined(members, ",") + "}"
    month = func.substr(texts["formed_date"], 1, 7)
    return (csv_line, json_object, rows.c.held, rows.c.record_class, month)


def _text(rows: Subquery, name: str, dialect: str) -> Element[str]:
    """The value as text (NULL stays NULL)."""
    column = rows.c[name]
    if name == "held":
        return case((column, "True"), else_="False")
    if name in DATES and dialect == "postgresql":
        return func.to_char(column, "YYYY-MM-DD")
    if name == "aggregate_id" and dialect != "postgresql":  # stored as 32 hex digits
        parts = [func.substr(column, start, length) for start, length in _UUID_PARTS]
        return func.lower(_joined(parts, "-"))
    return cast(column, String)


_UUID_PARTS = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))


def _quoted(text: Element[str]) -> Element[str]:
    """A CSV cell: quoted (quotes doubled) when it holds a comma, a quote or a line break."""
    special = or_(*(text.like(f"%{c}%") for c in (",", '"', "\n", "\r")))
    return case((special, '"' + func.replace(text, '"', '""') + '"'), else_=text)


def _json(text: Element[str], name: str, dialect: str) -> Element[str]:
    if name == "held":
        return case((text == "True", "true"), else_="false")
    if name in NUMBERS:
        return text
    if dialect == "postgresql":
        return cast(func.to_json(text), String)
    return func.json_quote(text)


def _joined(parts: Sequence[Element[Any]], separator: str) -> Element[str]:
    return reduce(lambda left, right: left + separator + right, parts[1:], parts[0])
