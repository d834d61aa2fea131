"""Imports point inward: domain ← application ← projections ← interfaces."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
STDLIB = set(sys.stdlib_module_names)
ALLOWED: dict[str, set[str]] = {
    "domain": {"domain", "eventsourcing.domain"},
    "application": {"domain", "application", "eventsourcing", "cryptography"},
    "projections": {
        "domain",
        "application",
        "projections",
        "eventsourcing",
        "sqlalchemy",
        "psycopg",
        "rich",
    },
}


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def allowed(module: str, layer: str) -> bool:
    top = module.split(".")[0]
    if top in STDLIB or top == "__future__":
        return True
    return any(module == a or module.startswith(a + ".") for a in ALLOWED[layer])


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_what_lies_inward(layer: str) -> None:
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / layer).rglob("*.py"))
        for module in sorted(imports_of(path))
        if not allowed(module, layer)
    ]
    assert offences == []


def test_nothing_outside_interfaces_and_tests_imports_interfaces() -> None:
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for layer in ("domain", "application", "projections")
        for path in sorted((ROOT / layer).rglob("*.py"))
        for module in imports_of(path)
        if module.split(".")[0] == "interfaces"
    ]
    assert offences == []


def test_the_domain_never_reads_the_clock_or_makes_random_ids() -> None:
    forbidden = ("datetime.now", "date.today", "uuid4", "time.time", "random.")
    offences = [
        f"{path.relative_to(ROOT)}: {word}"
        for path in sorted((ROOT / "domain").rglob("*.py"))
        for word in forbidden
        if word in path.read_text()
    ]
    assert offences == []
