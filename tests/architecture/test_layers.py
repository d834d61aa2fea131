"""Imports point inward: domain ← application ← projections ← interfaces."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
STDLIB = set(sys.stdlib_module_names)
PROJECT = {
    "domain",
    "application",
    "projections",
    "interfaces",
    "migrations",
    "tests",
    "benchmarks",
}
# What each top-level folder may import besides the standard library. Project layers not
# named are forbidden; third-party packages not named are forbidden in the inner layers.
ALLOWED: dict[str, set[str]] = {
    "domain": {"domain", "eventsourcing.domain"},
    "application": {"domain", "application", "eventsourcing", "cryptography"},
    "projections": {"domain", "projections", "sqlalchemy", "psycopg"},
    "migrations": {"migrations", "alembic", "sqlalchemy"},
}
# The outer folders may use any third-party package, and these project folders.
OUTER: dict[str, set[str]] = {
    "interfaces": {"domain", "application", "projections", "interfaces", "migrations"},
    "benchmarks": {"domain", "application", "projections", "interfaces", "benchmarks"},
    "tests": PROJECT - {"benchmarks"},
}
# Folders that hold no Python.
NOT_PYTHON = {"scripts", "docs"}


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
    if layer in OUTER:
        return top in OUTER[layer] or top not in PROJECT
    return any(module == a or module.startswith(a + ".") for a in ALLOWED[layer])


def test_every_top_level_folder_has_import_rules() -> None:
    folders = {
        p.name
        for p in ROOT.iterdir()
        if p.is_dir() and not p.name.startswith((".", "_")) and not p.name.endswith(".egg-info")
    }
    assert folders - NOT_PYTHON - {"var"} == set(ALLOWED) | set(OUTER)
    assert [path for folder in NOT_PYTHON for path in (ROOT / folder).rglob("*.py")] == []


@pytest.mark.parametrize("layer", sorted(set(ALLOWED) | set(OUTER)))
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
