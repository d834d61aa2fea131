"""Schemathesis over the whole published schema: every check it has (negative data rejected,
positive data accepted, undeclared methods 405 with Allow, use after free, authentication
ignored, response schemas and content types …) and all four phases — examples, coverage (the
boundary values and missing or wrong-typed parts of every operation, and every unexpected
method), fuzzing and stateful (which follows the schema's links from each record created to
what is done with it). Bounded (`schemathesis.toml`): two examples per operation for
examples and fuzzing, forty scenarios for the stateful phase; the coverage phase is
deterministic (about 3,000 cases, about 35 s). 0 failures.

Documented, in `tests/e2e/schemathesis.toml`: data valid by the schema that a business rule
refuses (409 conflicts, 422 refusals such as a term end before its start, a check character
that does not match, a `min_position` beyond the head) counts as an expected answer to
positive data, since no JSON Schema states rules across fields or over the database.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from interfaces.http.app import create_app
from tests.e2e.conftest import Api, serving

CONFIG = Path(__file__).with_name("schemathesis.toml")
ROLES = {"^/v1/settlements": "institution", "^/v1/audit": "auditor", "^/v1/archive": "archivist"}


def config_for(api: Api, into: Path) -> Path:
    """The checked-in configuration plus the tokens of this run, a role per path."""
    lines = [f'headers = {{ Authorization = "Bearer {api.tokens["agency"]}" }}']
    lines += CONFIG.read_text().splitlines()
    for pattern, role in ROLES.items():
        lines += [
            "[[operations]]",
            f'include-path-regex = "{pattern}"',
            f'headers = {{ Authorization = "Bearer {api.tokens[role]}" }}',
        ]
    written = into / "schemathesis.toml"
    written.write_text("\n".join(lines) + "\n")
    return written


def test_every_schemathesis_check_and_phase_passes_over_the_whole_schema(
    api: Api, tmp_path: Path
) -> None:
    config = config_for(api, tmp_path)
    with serving(create_app(api.container, freshness_timeout=0.2)) as base_url:
        done = subprocess.run(
            [
                str(Path(sys.executable).with_name("schemathesis")),
                "--config-file",
                str(config),
                "run",
                f"{base_url}/openapi.json",
                "--checks",
                "all",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--seed",
                "1",
                "--continue-on-failure",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=900,
            check=False,
        )

    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    phases = ("Examples", "Coverage", "Fuzzing", "Stateful")
    assert [p for p in phases if f"✅ {p}" not in done.stdout] == [], done.stdout[-3000:]
