"""The HTTP service's bearer tokens as `yibao token list` shows them: role, institution, name,
when issued and whether revoked — never the token nor its hash.

Token names are the operators' labels for a credential ("运维", "make run: agency"), not
personal data (docs/read-access.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from sqlalchemy import BigInteger, Boolean, Column, MetaData, Table, Uuid

from projections.batch import Batch
from projections.events import Recorded
from projections.projection import Handler, ViewProjection
from projections.sqltypes import LongText, Str, UtcDateTime


class Tokens(ViewProjection):
    name: ClassVar[str] = "tokens"

    @classmethod
    def define(cls, metadata: MetaData, prefix: str) -> dict[str, Table]:
        return {
            "tokens": Table(
                f"{prefix}_tokens",
                metadata,
                Column("token_id", Uuid, primary_key=True),
                Column("role", Str(16), nullable=False),
                Column("institution_code", Str(12)),
                Column("name", LongText, nullable=False),
                Column("issued_at", UtcDateTime, nullable=False),
                Column("revoked", Boolean, nullable=False),
                Column("position", BigInteger, nullable=False, index=True),  # of its issue
            )
        }

    def handlers(self) -> Mapping[str, Handler]:
        return {"ApiToken.Issued": self._issued, "ApiToken.Revoked": self._revoked}

    def _issued(self, batch: Batch, r: Recorded) -> None:
        e = r.event
        batch.put(
            "tokens",
            {
                "token_id": r.originator_id,
                "role": e.role,
                "institution_code": e.institution_code,
                "name": e.name,
                "issued_at": e.timestamp,
                "revoked": False,
                "position": r.position,
            },
        )

    def _revoked(self, batch: Batch, r: Recorded) -> None:
        token = batch.get("tokens", r.originator_id)
        if token is not None:
            batch.put("tokens", {**token, "revoked": True})
