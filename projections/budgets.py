"""Budgets (总额预算) as the agency follows them: the figures each budget had, its monthly
prepayments, its clearing (proposed, confirmed, corrected) and what is still owed back.

The facts only: the use ratios and warnings depend on the day asked and on the policy, so
`projections/queries/budgets.py` derives them when the budget is read (with the rules of
`domain/budget_rules.py`). The row follows the aggregate's own state changes of
`domain/budget.py` — a prepayment or an adjustment withdraws a proposal, a correction
replaces the "fund pays" figure in force — and a property test replays random histories and
compares the two (tests/integration/projections/test_budget_properties.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy import BigInteger, Boolean, Column, Integer, MetaData, Table, Uuid

from domain.money import ZERO
from projections.batch import Batch
from projections.events import Recorded
from projections.projection import Handler, ViewProjection
from projections.sqltypes import LongText, Money, Str, UtcDateTime

# The proposal's figures (domain.budget_rules.Clearing), None while nothing is proposed.
PROPOSAL = (
    "proposed_budget",
    "proposed_actual",
    "proposed_prepaid",
    "proposed_fund_pays",
    "surplus_incentive",
    "institution_bears",
)
NO_PROPOSAL: dict[str, Any] = {**dict.fromkeys(PROPOSAL), "rule": None, "as_of_position": None}
# An adjustment or a prepayment withdraws the proposal made on the figures before it, as
# `Budget._withdraw_proposal` does (nothing is adjusted or prepaid after a confirmation).
WITHDRAWN: dict[str, Any] = {**NO_PROPOSAL, "fund_pays": None}


class Budgets(ViewProjection):
    name: ClassVar[str] = "budgets"

    @classmethod
    def define(cls, metadata: MetaData, prefix: str) -> dict[str, Table]:
        return {
            "budgets": Table(
                f"{prefix}_budgets",
                metadata,
                Column("budget_id", Uuid, primary_key=True),
                Column("agreement_id", Uuid, nullable=False),
                Column("institution_code", Str(12), nullable=False, index=True),
                Column("region_code", Str(6), nullable=False),
                Column("year", Integer, nullable=False),
                Column("scheme", Str(16), nullable=False),
                Column("amount", Money, nullable=False),
                Column("basis", LongText, nullable=False),
                Column("prepaid", Money, nullable=False),
                Column("figures", Integer, nullable=False),  # how many `figures` rows it has
                *(Column(name, Money) for name in PROPOSAL),
                Column("rule", Str(32)),
                Column("as_of_position", BigInteger),
                Column("confirmed", Boolean, nullable=False),
                Column("fund_pays", Money),  # in force: the last correction's, else proposed
                Column("owed_back", Money, nullable=False),
                Column("recovered", Money, nullable=False),
                Column("position", BigInteger, nullable=False),
            ),
            # Each yearly figure: issued with its basis, adjusted with a reason.
            "figures": Table(
                f"{prefix}_figures",
                metadata,
                Column("budget_id", Uuid, primary_key=True),
                Column("number", Integer, primary_key=True),
                Column("kind", Str(16), nullable=False),
                Column("amount", Money, nullable=False),
                Column("reason", LongText, nullable=False),
                Column("recorded_at", UtcDateTime, nullable=False),
            ),
            "prepayments": Table(
                f"{prefix}_prepayments",
                metadata,
                Column("budget_id", Uuid, primary_key=True),
                Column("month", Str(7), primary_key=True),
                Column("amount", Money, nullable=False),
            ),
            "corrections": Table(
                f"{prefix}_corrections",
                metadata,
                Column("budget_id", Uuid, primary_key=True),
                Column("correction_no", Integer, primary_key=True),
                Column("fund_pays", Money, nullable=False),
                Column("corrects", Money, nullable=False),
            ),
        }

    def handlers(self) -> Mapping[str, Handler]:
        return {
            "Budget.Issued": self._issued,
            "Budget.Adjusted": self._adjusted,
            "Budget.MonthPrepaid": self._prepaid,
            "Budget.ClearingProposed": self._proposed,
            "Budget.ClearingConfirmed": self._confirmed,
            "Budget.OwedBack": self._owed_back,
            "Budget.ClearingCorrected": self._corrected,
            "Budget.RecoveryRecorded": self._recovered,
        }

    def _issued(self, batch: Batch, r: Recorded) -> None:
        e = r.event
        batch.put(
            "budgets",
            {
                "budget_id": r.originator_id,
                "agreement_id": e.agreement_id,
                "institution_code": e.institution_code,
                "region_code": e.region_code,
                "year": e.year,
                "scheme": e.scheme,
                "amount": e.amount,
                "basis": e.basis,
                "prepaid": ZERO,
                "figures": 1,
                **NO_PROPOSAL,
                "confirmed": False,
                "fund_pays": None,
                "owed_back": ZERO,
                "recovered": ZERO,
                "position": r.position,
            },
        )
        self._figure(batch, r, 1, "issued", e.basis)

    def _adjusted(self, batch: Batch, r: Recorded) -> None:
        budget = batch.get("budgets", r.originator_id)
        if budget is None:
            return
        number = budget["figures"] + 1
        changed = {"amount": r.event.amount, "figures": number, **WITHDRAWN}
        self._put(batch, r, budget, **changed)
        self._figure(batch, r, number, "adjusted", r.event.audit.reason)

    def _prepaid(self, batch: Batch, r: Recorded) -> None:
        budget = batch.get("budgets", r.originator_id)
        if budget is None:
            return
        e = r.event
        batch.append(
            "prepayments", {"budget_id": r.originator_id, "month": e.month, "amount": e.amount}
        )
        prepaid = budget["prepaid"] + e.amount
        self._put(batch, r, budget, prepaid=prepaid, **WITHDRAWN)

    def _proposed(self, batch: Batch, r: Recorded) -> None:
        budget = batch.get("budgets", r.originator_id)
        if budget is None:
            return
        c = r.event.clearing
        proposal = {
            "proposed_budget": c.budget,
            "proposed_actual": c.actual,
            "proposed_prepaid": c.prepaid,
            "proposed_fund_pays": c.fund_pays,
            "surplus_incentive": c.surplus_incentive,
            "institution_bears": c.institution_bears,
            "rule": c.rule,
            "as_of_position": r.event.as_of_position,
        }
        self._put(batch, r, budget, **proposal, fund_pays=c.fund_pays)

    def _confirmed(self, batch: Batch, r: Recorded) -> None:
        budget = batch.get("budgets", r.originator_id)
        if budget is not None:
            self._put(batch, r, budget, confirmed=True)

    def _owed_back(self, batch: Batch, r: Recorded) -> None:
        budget = batch.get("budgets", r.originator_id)
        if budget is not None:
            self._put(batch, r, budget, owed_back=budget["owed_back"] + r.event.amount)

    def _corrected(self, batch: Batch, r: Recorded) -> None:
        budget = batch.get("budgets", r.originator_id)
        if budget is None:
            return
        e = r.event
        row = {"budget_id": r.originator_id, "correction_no": e.correction_no}
        batch.append("corrections", row | {"fund_pays": e.fund_pays, "corrects": e.corrects})
        self._put(batch, r, budget, fund_pays=e.fund_pays)

    def _recovered(self, batch: Batch, r: Recorded) -> None:
        budget = batch.get("budgets", r.originator_id)
        if budget is not None:
            self._put(batch, r, budget, recovered=budget["recovered"] + r.event.amount)

    @staticmethod
    def _put(batch: Batch, r: Recorded, budget: dict[str, Any], **changed: Any) -> None:
        batch.put("budgets", {**budget, **changed, "position": r.position})

    @staticmethod
    def _figure(batch: Batch, r: Recorded, number: int, kind: str, reason: str) -> None:
        row = {"budget_id": r.originator_id, "number": number, "kind": kind}
        e = r.event
        batch.append(
            "figures", row | {"amount": e.amount, "reason": reason, "recorded_at": e.timestamp}
        )
