"""The HMAC secret that turns a national ID into a person id.

No deployment runs on a public key: with one, anyone holding a masked ID (`3101**********6381`)
hashes the few thousand IDs that fit the mask and finds the person in a fraction of a second.
A configured `YIBAO_ID_SECRET` is used as given, unless it is a published one; PostgreSQL
requires one. The embedded SQLite default generates a random secret on first run into
`<data_dir>/id-secret` (mode 0600) and reuses it from then on — processes that start together
agree on the first one written.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from interfaces.settings import ConfigurationError, Settings

PUBLIC_SECRETS = frozenset({"demo-only-change-me"})
SECRET_FILE = "id-secret"


def id_secret(settings: Settings) -> bytes:
    """The deployment's secret, or ConfigurationError when it has none of its own."""
    if settings.id_secret is not None:
        configured = settings.id_secret.get_secret_value()
        if configured in PUBLIC_SECRETS or not configured:
            raise ConfigurationError("YIBAO_ID_SECRET is a published value: set one of your own")
        return configured.encode()
    if settings.is_postgres:
        raise ConfigurationError(
            "YIBAO_ID_SECRET must be set to a secret of your own for PostgreSQL"
        )
    return stored_secret(settings.data_dir / SECRET_FILE)


def stored_secret(path: Path) -> bytes:
    """The secret in `path`, written there first (random, 0600) when there is none."""
    if not path.exists():
        _create(path)
    secret = path.read_bytes().strip()
    if len(secret) < 32:
        raise ConfigurationError(f"{path} does not hold a usable secret")
    return secret


def _create(path: Path) -> None:
    """Written beside, then linked into place: a reader never sees a half-written file, and
    of two processes starting together the first link wins and both read it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink(missing_ok=True)
