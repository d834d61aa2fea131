"""An aggregate's state beside its previous version: flattened to dotted fields, each marked
when it changed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Row:
    field: str
    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """`{"a": {"b": 1}, "c": [2]}` → `{"a.b": "1", "c[0]": "2"}`; leaves as JSON text."""
    if isinstance(value, dict) and value:
        out: dict[str, str] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value:
        out = {}
        for index, item in enumerate(value):
            out.update(flatten(item, f"{prefix}[{index}]"))
        return out
    return {prefix: json.dumps(value, ensure_ascii=False, default=str)}


def side_by_side(before: dict[str, Any] | None, after: dict[str, Any]) -> list[Row]:
    """Every field of either state, in the newer state's order, then the removed ones."""
    old = flatten(before) if before is not None else {}
    new = flatten(after)
    fields = list(new) + [f for f in old if f not in new]
    return [Row(f, old.get(f), new.get(f)) for f in fields]
