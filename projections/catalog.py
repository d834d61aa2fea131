"""Every projection of the region, by name."""

from __future__ import annotations

from projections.agreements import Agreements
from projections.archive_catalogue import ArchiveCatalogue
from projections.archive_holds import ArchiveHolds
from projections.audit_trail import AuditTrail
from projections.balances import Balances
from projections.budgets import Budgets
from projections.persons import Persons
from projections.projection import ViewProjection
from projections.reconciliation import Reconciliation
from projections.settlements import Settlements
from projections.tokens import Tokens

PROJECTION_CLASSES: tuple[type[ViewProjection], ...] = (
    Persons,
    Agreements,
    Settlements,
    Balances,
    Reconciliation,
    AuditTrail,
    ArchiveCatalogue,
    ArchiveHolds,
    Budgets,
    Tokens,
)
NAMES = tuple(p.name for p in PROJECTION_CLASSES)


def build_projections(region_code: str, names: list[str] | None = None) -> list[ViewProjection]:
    """The projections to run (all, or those named), configured for the deployment."""
    unknown = sorted(set(names or ()) - set(NAMES))
    if unknown:
        raise KeyError(f"no projection named {unknown[0]!r}; known: {', '.join(NAMES)}")
    chosen = [p for p in PROJECTION_CLASSES if names is None or p.name in names]
    return [ArchiveCatalogue(region_code) if p is ArchiveCatalogue else p() for p in chosen]
