"""A token revoked by another process stops working on a running server within a second,
though the server authenticates from memory (no database read per request)."""

from __future__ import annotations

import time
from uuid import uuid4

from interfaces.bootstrap import build
from interfaces.cli_service import current_tokens
from tests.e2e.conftest import Api
from tests.support import agency


def test_a_revocation_recorded_elsewhere_takes_effect_on_the_running_server_within_a_second(
    api: Api,
) -> None:
    path = f"/v1/settlements/{uuid4()}"
    assert api.get(path, role="auditor").status_code == 404  # authenticated: nothing there
    token_id = next(t.token_id for t in current_tokens(api.container) if t.name == "auditor")
    elsewhere = build(api.container.settings)  # another process: the CLI's `token revoke`
    try:
        elsewhere.region.revoke_token(agency("revoke"), token_id)
    finally:
        elsewhere.close()
    time.sleep(1.0)
    assert api.get(path, role="auditor").status_code == 401
