"""API tokens (访问令牌): who may call the HTTP service, in which role, for which institution.

The token itself is never stored: the aggregate keeps its SHA-256, and its id is derived from
that hash (uuid5), so presenting a token finds its record in one read. Issuing and revoking are
events like any other, so the auditors see who was given access, when and by whom.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.agreement import require_institution_code
from domain.base import YibaoAggregate
from domain.errors import AlreadyRevoked, ValidationFailed

TOKEN_ROLES = ("agency", "institution", "auditor", "archivist")


def token_id_for(token_hash: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"yibao:api-token:{token_hash}")


class ApiToken(YibaoAggregate):
    """One bearer token of the HTTP service, known only by its hash."""

    def __init__(self, role: str, institution_code: str | None, name: str, token_hash: str) -> None:
        self.role = role
        self.institution_code = institution_code
        self.name = name
        self.token_hash = token_hash
        self.revoked = False

    class Issued(YibaoAggregate.Created):
        """An operator issued a token for a role (and, for an institution, its code)."""

        role: str
        institution_code: str | None
        name: str
        token_hash: str

    class Revoked(YibaoAggregate.Event):
        """An operator revoked the token: it authenticates nobody from now on."""

    @classmethod
    def issue(
        cls, *, role: str, institution_code: str | None, name: str, token_hash: str
    ) -> ApiToken:
        if role not in TOKEN_ROLES:
            raise ValidationFailed("role", f"must be one of {', '.join(TOKEN_ROLES)}")
        if role == "institution":
            if not institution_code:
                raise ValidationFailed("institution", "an institution token needs its code")
            require_institution_code(institution_code)
        elif institution_code:
            raise ValidationFailed("institution", "only institution tokens carry a code")
        return cls._create(  # type: ignore[no-any-return]
            cls.Issued,
            id=token_id_for(token_hash),
            role=role,
            institution_code=institution_code,
            name=name.strip() or role,
            token_hash=token_hash,
        )

    def revoke(self) -> None:
        """Withdraw the token."""
        if self.revoked:
            raise AlreadyRevoked()
        self._revoked()

    @event(Revoked)
    def _revoked(self) -> None:
        self.revoked = True
