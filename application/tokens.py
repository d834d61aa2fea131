"""Issuing, revoking and checking the HTTP service's bearer tokens.

A token is `yb_` + 32 random bytes (URL-safe base64); only its SHA-256 is recorded. Checking a
token hashes what was presented, loads the record named by that hash and compares the stored
hash in constant time; a revoked or unknown token authenticates nobody.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from application.context import Actor, Context
from application.core import RegionCore
from domain.token import ApiToken, token_id_for

TOKEN_PREFIX = "yb_"


@dataclass(frozen=True)
class IssuedToken:
    token: str
    token_id: UUID
    position: int


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenCommands(RegionCore):
    def issue_token(
        self, ctx: Context, *, role: str, institution_code: str | None = None, name: str = ""
    ) -> IssuedToken:
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)

        def decide() -> tuple[list[Any], UUID]:
            issued = ApiToken.issue(
                role=role,
                institution_code=institution_code,
                name=name,
                token_hash=hash_token(token),
            )
            return [issued], issued.id

        token_id, position = self._commit(ctx, decide)
        return IssuedToken(token, token_id, position)

    def revoke_token(self, ctx: Context, token_id: UUID) -> int:
        def decide() -> tuple[list[Any], None]:
            token = self._get(token_id, ApiToken, "token")
            token.revoke()
            return [token], None

        return self._commit(ctx, decide)[1]

    def authenticate(self, token: str) -> Actor | None:
        """The actor a bearer token stands for, or None (unknown, malformed or revoked)."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        presented = hash_token(token)
        record = self._decision_input(token_id_for(presented), ApiToken)
        if record is None or record.revoked:
            return None
        if not hmac.compare_digest(record.token_hash, presented):
            return None
        return Actor(f"token:{record.id}", record.role, record.institution_code)


__all__ = ["IssuedToken", "TokenCommands", "hash_token"]
