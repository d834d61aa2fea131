"""The read side as the interfaces use it: plain dicts keyed by API.md's field names.

Each query reads the live generation of its projection (looked up in the registry in the
same connection), so a blue/green switch is invisible to callers. Money is `Decimal`;
status and budget warnings depend on the day asked and on the policy, so they are derived
from the stored facts at query time.
"""

from __future__ import annotations

from projections.queries.ledgers import LedgerQueries
from projections.queries.packages import PackageQueries
from projections.queries.read_models import ReadModelQueries
from projections.queries.trails import TrailQueries


class Views(ReadModelQueries, LedgerQueries, TrailQueries, PackageQueries):
    """`container.views`: every query of the read side."""


__all__ = ["Views"]
