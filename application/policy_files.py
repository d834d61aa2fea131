"""Benefit policies as versioned TOML files (``application/policies/*.toml``)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from domain.policy import Policy, PolicyBook, PolicyInvalid
from domain.policy_reading import read_policy

POLICY_DIRECTORY = Path(__file__).parent / "policies"


def load_policy_file(path: Path) -> Policy:
    """Read and validate one policy file; ``PolicyInvalid`` names the key path and the file."""
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
        return read_policy(data)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyInvalid("$", f"not valid TOML in {path.name}: {exc}") from None
    except PolicyInvalid as exc:
        exc.add_note(f"policy file: {path}")
        raise


def load_policy_book(directory: Path | None = None) -> PolicyBook:
    """Every ``*.toml`` policy of the directory (default: the shipped ``policies/``)."""
    folder = POLICY_DIRECTORY if directory is None else directory
    return PolicyBook(load_policy_file(path) for path in sorted(folder.glob("*.toml")))
