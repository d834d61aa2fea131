"""Who is asking, and on which request: passed by the interfaces into every command."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import uuid4

from domain.errors import Forbidden

AGENCY, INSTITUTION, AUDITOR, ARCHIVIST, SYSTEM = (
    "agency",
    "institution",
    "auditor",
    "archivist",
    "system",
)
ROLES = (AGENCY, INSTITUTION, AUDITOR, ARCHIVIST)


@dataclass(frozen=True)
class Actor:
    actor_id: str
    role: str
    institution_code: str | None = None


@dataclass(frozen=True)
class Context:
    """The actor and the request a command belongs to (ids for the audit envelope)."""

    actor: Actor
    request_id: str = ""
    correlation_id: str = field(default_factory=lambda: uuid4().hex)


def require_acting_for(ctx: Context, institution_code: str) -> None:
    """An institution settles and reverses under its own code only."""
    actor = ctx.actor
    if actor.role == INSTITUTION and actor.institution_code != institution_code:
        raise Forbidden(f"{actor.institution_code} may not act for {institution_code}")


def system_context(purpose: str) -> Context:
    return Context(Actor(f"system:{purpose}", SYSTEM), request_id=purpose)
