"""The bearer tokens ever issued (`yibao token list`), oldest first, as typed rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, select

from projections.queries.base import QueryBase
from projections.tokens import Tokens


@dataclass(frozen=True)
class TokenEntry:
    """What `token list` shows: never the token, nor its hash."""

    token_id: UUID
    role: str
    institution_code: str | None
    name: str
    issued_at: datetime
    revoked: bool


class TokenQueries(QueryBase):
    def tokens(self) -> list[TokenEntry]:
        """Every token ever issued, oldest first, with its revocation state."""

        def query(c: Connection) -> list[TokenEntry]:
            table = self._table(c, Tokens, "tokens")
            rows = c.execute(select(table).order_by(table.c.position)).mappings()
            return [
                TokenEntry(
                    r["token_id"],
                    r["role"],
                    r["institution_code"],
                    r["name"],
                    r["issued_at"],
                    r["revoked"],
                )
                for r in rows
            ]

        return self._read(query)
