"""Fund accounts (基金账户): one per (scheme, layer, region); the balance never goes negative."""

from __future__ import annotations

from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import YibaoAggregate
from domain.clawback import RECOVERY_METHODS
from domain.errors import InsufficientFunds, ValidationFailed
from domain.money import ZERO, fen
from domain.values import LAYERS, require_period, require_region, require_scheme

CONTRIBUTION_SOURCES = ("employer", "individual", "subsidy")
DISBURSEMENT_KINDS = ("settlement", "prepayment", "clearing")


def fund_id(scheme: str, layer: str, region_code: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"yibao:fund:{scheme}:{layer}:{region_code}")


def require_amount(amount: Decimal, field: str = "amount") -> Decimal:
    if amount <= ZERO or fen(amount) != amount:
        raise ValidationFailed(field, "must be a positive amount with at most 2 decimals")
    return amount


class FundAccount(YibaoAggregate):
    """The pooled fund of one scheme and layer in one region."""

    @staticmethod
    def create_id(scheme: str, layer: str, region_code: str) -> UUID:
        return fund_id(scheme, layer, region_code)

    @classmethod
    def open(cls, scheme: str, layer: str, region_code: str, name: str) -> FundAccount:
        require_scheme(scheme)
        if layer not in LAYERS:
            raise ValidationFailed("layer", "must be basic or major")
        require_region(region_code)
        if not name.strip():
            raise ValidationFailed("name", "must not be empty")
        return cls(scheme=scheme, layer=layer, region_code=region_code, name=name.strip())

    @event("Opened")
    def __init__(self, scheme: str, layer: str, region_code: str, name: str) -> None:
        """The agency opened the fund account."""
        self.scheme = scheme
        self.layer = layer
        self.region_code = region_code
        self.name = name
        self.balance = ZERO

    def receive_contribution(self, amount: Decimal, period: str, source: str) -> None:
        require_amount(amount)
        require_period(period)
        if source not in CONTRIBUTION_SOURCES:
            raise ValidationFailed("source", f"must be one of {', '.join(CONTRIBUTION_SOURCES)}")
        self._contribution_received(amount=amount, period=period, source=source)

    @event("ContributionReceived")
    def _contribution_received(self, amount: Decimal, period: str, source: str) -> None:
        """The agency booked a contribution for a period from a source."""
        self.balance += amount

    def disburse(self, agreement_id: UUID, period: str, amount: Decimal, kind: str) -> None:
        """Pay an institution; never beyond the balance."""
        require_amount(amount)
        require_period(period)
        if kind not in DISBURSEMENT_KINDS:
            raise ValidationFailed("kind", f"must be one of {', '.join(DISBURSEMENT_KINDS)}")
        if amount > self.balance:
            raise InsufficientFunds(
                f"the {self.scheme} {self.layer} fund holds {self.balance}, not {amount}"
            )
        self._disbursed(agreement_id=agreement_id, period=period, amount=amount, kind=kind)

    @event("Disbursed")
    def _disbursed(self, agreement_id: UUID, period: str, amount: Decimal, kind: str) -> None:
        """The agency paid an institution under its agreement."""
        self.balance -= amount

    def receive_recovery(self, clawback_id: UUID, amount: Decimal, method: str) -> None:
        require_amount(amount)
        if method not in RECOVERY_METHODS:
            raise ValidationFailed("method", "must be offset or payment")
        self._recovery_received(clawback_id=clawback_id, amount=amount, method=method)

    @event("RecoveryReceived")
    def _recovery_received(self, clawback_id: UUID, amount: Decimal, method: str) -> None:
        """Clawed-back money returned to this fund layer (by offset or payment)."""
        self.balance += _cash_in(amount, method)

    def receive_clearing_recovery(self, budget_id: UUID, amount: Decimal, method: str) -> None:
        require_amount(amount)
        if method not in RECOVERY_METHODS:
            raise ValidationFailed("method", "must be offset or payment")
        self._clearing_recovery_received(budget_id=budget_id, amount=amount, method=method)

    @event("ClearingRecoveryReceived")
    def _clearing_recovery_received(self, budget_id: UUID, amount: Decimal, method: str) -> None:
        """Money an institution owed back after its year-end clearing returned to this fund."""
        self.balance += _cash_in(amount, method)


def _cash_in(amount: Decimal, method: str) -> Decimal:
    """A payment brings cash in now. An offset brings none: it is withheld from what the fund
    owes the institution, so it shows as a smaller later disbursement (DOMAIN.md §4)."""
    return amount if method == "payment" else ZERO
