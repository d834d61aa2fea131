"""Issuing, revoking and checking the HTTP service's bearer tokens.

A token is `yb_` + 32 random bytes (URL-safe base64); only its SHA-256 is recorded. Checking a
token hashes what was presented, loads the record named by that hash and compares the stored
hash in constant time; a revoked or unknown token authenticates nobody.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from application.context import Actor, Context
from application.core import RegionCore
from domain.token import ApiToken, token_id_for

TOKEN_PREFIX = "yb_"
_TOPICS = (get_topic(ApiToken.Issued), get_topic(ApiToken.Revoked))
_PAGE = 500


@dataclass(frozen=True)
class IssuedToken:
    token: str
    token_id: UUID
    position: int


@dataclass(frozen=True)
class TokenEntry:
    """What `token list` shows: never the token, nor its hash."""

    token_id: UUID
    role: str
    institution_code: str | None
    name: str
    issued_at: datetime
    revoked: bool


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class NotInMemory(enum.Enum):
    NOT_IN_MEMORY = "not in memory"


NOT_IN_MEMORY = NotInMemory.NOT_IN_MEMORY


def _actor(record: ApiToken | None, presented: str) -> Actor | None:
    if record is None or record.revoked:
        return None
    if not hmac.compare_digest(record.token_hash, presented):
        return None
    return Actor(f"token:{record.id}", record.role, record.institution_code)


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
        return _actor(self._decision_input(token_id_for(presented), ApiToken), presented)

    def authenticate_from_memory(self, token: str) -> Actor | NotInMemory | None:
        """`authenticate` without any I/O, or `NOT_IN_MEMORY` when that needs the store (the
        token is not cached, or the log watch is due to look for revocations): the HTTP
        service answers most requests without handing them to a thread."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        if self.watch.is_due():
            return NOT_IN_MEMORY
        presented = hash_token(token)
        record = self.decisions.peek(token_id_for(presented))
        if record is None:
            return NOT_IN_MEMORY
        return _actor(record if isinstance(record, ApiToken) else None, presented)

    def list_tokens(self) -> list[TokenEntry]:
        """Every token ever issued, oldest first, with its revocation state."""
        entries: dict[UUID, TokenEntry] = {}
        start: int | None = None
        while True:
            page = self.recorder.select_notifications(
                start, _PAGE, topics=_TOPICS, inclusive_of_start=False
            )
            for notification in page:
                self._apply_listed(entries, self.mapper.to_domain_event(notification))
            if len(page) < _PAGE:
                return list(entries.values())
            start = page[-1].id

    @staticmethod
    def _apply_listed(entries: dict[UUID, TokenEntry], event: Any) -> None:
        if isinstance(event, ApiToken.Issued):
            entries[event.originator_id] = TokenEntry(
                event.originator_id,
                event.role,
                event.institution_code,
                event.name,
                event.timestamp,
                revoked=False,
            )
        elif isinstance(event, ApiToken.Revoked) and event.originator_id in entries:
            listed = entries[event.originator_id]
            entries[event.originator_id] = TokenEntry(
                listed.token_id,
                listed.role,
                listed.institution_code,
                listed.name,
                listed.issued_at,
                revoked=True,
            )


__all__ = ["IssuedToken", "TokenCommands", "TokenEntry", "hash_token"]
