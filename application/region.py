"""The application of one pooling region (统筹区): every aggregate, one log, one transaction
per command."""

from __future__ import annotations

from application.archive import ArchiveCommands
from application.budgets import BudgetCommands
from application.clawbacks import ClawbackCommands
from application.funds import FundCommands
from application.history import HistoryQueries
from application.settlements import SettlementCommands
from application.tokens import TokenCommands


class Region(
    SettlementCommands,
    FundCommands,
    ClawbackCommands,
    BudgetCommands,
    TokenCommands,
    HistoryQueries,
    ArchiveCommands,
):
    """Enrollment, agreements, funds, settlement and clawback of one pooling region."""

    name = "region"
