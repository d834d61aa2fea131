"""A settlement (结算): one claim of an institution, settled or rejected, maybe reversed or
clawed back later.

Its id is derived from (institution code, request id): the same request twice is the same
record, so a duplicate is caught by the store's uniqueness, never written twice.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.audit import require_reason
from domain.base import YibaoAggregate
from domain.errors import AlreadyReversed, ClawbackExceedsFundPay, SettlementNotReversible
from domain.health_data import HealthData, seal_claim
from domain.money import ZERO, fen
from domain.person import Admission, ClaimEntry
from domain.settlement_rules import ClaimItem, SettlementResult

SETTLED, REJECTED, REVERSED, CLAWED_BACK = "settled", "rejected", "reversed", "clawed_back"


def settlement_id(institution_code: str, request_id: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"yibao:settlement:{institution_code}:{request_id}")


class Settlement(YibaoAggregate):
    """One claim of an institution for one person's visit."""

    def __init__(
        self,
        institution_code: str,
        request_id: str,
        fingerprint: str,
        person_id: UUID,
        agreement_id: UUID | None,
        scheme: str | None,
        visit_id: str,
        visit_type: str,
        service_date: date,
        health: HealthData,
        items: list[ClaimItem],
    ) -> None:
        self.institution_code = institution_code
        self.request_id = request_id
        self.fingerprint = fingerprint
        self.person_id = person_id
        self.agreement_id = agreement_id
        self.scheme = scheme
        self.visit_id = visit_id
        self.visit_type = visit_type
        self.service_date = service_date
        self.health = health
        self.items = health.named(items)
        self.result: SettlementResult | None = None
        self.rejection_code: str | None = None
        self.reversed = False
        self.clawed_basic = ZERO
        self.clawed_major = ZERO

    class Claimed(YibaoAggregate.Created):
        """The facts of a claim, as every outcome records them (not triggered by itself).

        Version 2 keeps the diagnosis code and item names sealed in `health`."""

        class_version = 2

        institution_code: str
        request_id: str
        fingerprint: str
        person_id: UUID
        agreement_id: UUID | None
        scheme: str | None
        visit_id: str
        visit_type: str
        service_date: date
        health: HealthData
        items: list[ClaimItem]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """First-release claims stored the health data in clear; read them as sealed."""
            sid = settlement_id(state["institution_code"], state["request_id"])
            state.update(seal_claim(sid, state))
            del state["diagnosis_code"]

    class Settled(Claimed):
        """The claim was settled: the fund, the account and the patient each pay their share."""

        result: SettlementResult

        def apply(self, aggregate: Any) -> None:
            aggregate.result = self.result

    class Rejected(Claimed):
        """The claim was rejected (agreement or enrollment); recorded for the auditors."""

        code: str

        def apply(self, aggregate: Any) -> None:
            aggregate.rejection_code = self.code

    @classmethod
    def settle(cls, result: SettlementResult, **facts: Any) -> Settlement:
        return cls._record(cls.Settled, result=result, **facts)

    @classmethod
    def reject(cls, code: str, **facts: Any) -> Settlement:
        return cls._record(cls.Rejected, code=code, **facts)

    @classmethod
    def _record(cls, outcome: type[Claimed], **facts: Any) -> Settlement:
        sid = settlement_id(facts["institution_code"], facts["request_id"])
        return cls._create(outcome, id=sid, **seal_claim(sid, facts))  # type: ignore[no-any-return]

    # --- queries -------------------------------------------------------------------------

    @property
    def diagnosis_code(self) -> str | None:
        """None once the settlement's health data is destroyed (disposal)."""
        return self.health.diagnosis_code

    @property
    def status(self) -> str:
        if self.result is None:
            return REJECTED
        if self.reversed:
            return REVERSED
        return CLAWED_BACK if self.clawed > ZERO else SETTLED

    @property
    def clawed(self) -> Decimal:
        return self.clawed_basic + self.clawed_major

    @property
    def clawable(self) -> Decimal:
        """Fund pay not yet clawed back (nothing, once reversed or if rejected)."""
        if self.result is None or self.reversed:
            return ZERO
        return self.result.fund_pay - self.clawed

    def claim_entry(self) -> ClaimEntry:
        """What the settled claim took from the person (given back on a reversal)."""
        if self.result is None:
            raise SettlementNotReversible("a rejected claim took nothing")
        admission = Admission.of_visit(self.institution_code, self.visit_type, self.visit_id)
        return ClaimEntry.taken(self.service_date, admission, self.result)

    # --- commands ------------------------------------------------------------------------

    def reverse(self) -> None:
        """Reverse (撤销) the settlement once; the person's accumulators are restored."""
        require_reason("a reversal")
        if self.reversed:
            raise AlreadyReversed()
        if self.result is None:
            raise SettlementNotReversible("a rejected claim cannot be reversed")
        if self.clawed > ZERO:
            raise SettlementNotReversible("the settlement has been clawed back")
        self._reversed()

    @event("Reversed")
    def _reversed(self) -> None:
        """The institution reversed the settlement (a new record pointing at this one)."""
        self.reversed = True

    def claw_back(self, clawback_id: UUID, amount: Decimal) -> tuple[Decimal, Decimal]:
        """Take back `amount` of the fund pay; returns the (basic, major) parts."""
        if amount <= ZERO or amount > self.clawable:
            raise ClawbackExceedsFundPay(f"settlement {self.id} has {self.clawable} clawable")
        assert self.result is not None
        basic_left = self.result.basic_fund_pay - self.clawed_basic
        basic = min(basic_left, fen(amount * basic_left / self.clawable))
        major = amount - basic
        self._clawed_back(clawback_id=clawback_id, basic=basic, major=major)
        return basic, major

    @event("ClawedBack")
    def _clawed_back(self, clawback_id: UUID, basic: Decimal, major: Decimal) -> None:
        """Part of the fund pay was clawed back by an assessment (accumulators unchanged)."""
        self.clawed_basic += basic
        self.clawed_major += major
