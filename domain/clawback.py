"""Clawback (追回) and penalty: assessed against an agreement, recovered by offset or payment."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import event

from domain.audit import require_reason
from domain.base import YibaoAggregate
from domain.errors import RecoveryExceedsOutstanding, ValidationFailed
from domain.money import ZERO, allocate, fen
from domain.values import BASIC, MAJOR

BASES = ("violation", "fraud")
RECOVERY_METHODS = ("offset", "payment")


@dataclass(frozen=True)
class FundShare:
    """Money owed to (or returned to) one fund layer of one scheme."""

    scheme: str
    layer: str
    amount: Decimal


def penalty_for(amount: Decimal, multiple: Decimal, allowed: tuple[Decimal, Decimal]) -> Decimal:
    low, high = allowed
    if not low <= multiple <= high:
        raise ValidationFailed("penalty_multiple", f"must be between {low} and {high}")
    return fen(amount * multiple)


class Clawback(YibaoAggregate):
    """An assessment: fund pay to claw back from settlements, plus a penalty."""

    @event("Assessed")
    def __init__(
        self,
        id: UUID,
        agreement_id: UUID,
        institution_code: str,
        settlement_ids: list[UUID],
        amount: Decimal,
        basis: str,
        penalty_multiple: Decimal,
        penalty: Decimal,
        dues: list[FundShare],
    ) -> None:
        """The agency assessed a clawback and penalty against an agreement."""
        self.agreement_id = agreement_id
        self.institution_code = institution_code
        self.settlement_ids = list(settlement_ids)
        self.amount = amount
        self.basis = basis
        self.penalty_multiple = penalty_multiple
        self.penalty = penalty
        self.dues = list(dues)
        self.recovered: list[FundShare] = []

    @classmethod
    def assess(
        cls,
        *,
        clawback_id: UUID,
        agreement_id: UUID,
        institution_code: str,
        settlement_ids: list[UUID],
        amount: Decimal,
        basis: str,
        penalty_multiple: Decimal,
        multiples: tuple[Decimal, Decimal],
        clawed: list[tuple[str, Decimal, Decimal]],
    ) -> Clawback:
        """`clawed` gives (scheme, basic, major) per settlement, as the settlements split it."""
        require_reason("a clawback")
        if basis not in BASES:
            raise ValidationFailed("basis", "must be violation or fraud")
        penalty = penalty_for(amount, penalty_multiple, multiples)
        return cls(
            id=clawback_id,
            agreement_id=agreement_id,
            institution_code=institution_code,
            settlement_ids=settlement_ids,
            amount=amount,
            basis=basis,
            penalty_multiple=penalty_multiple,
            penalty=penalty,
            dues=_dues(clawed, amount, penalty),
        )

    @property
    def outstanding(self) -> Decimal:
        return self.amount + self.penalty - sum((s.amount for s in self.recovered), ZERO)

    def recover(self, amount: Decimal, method: str) -> list[FundShare]:
        """Book money recovered; it returns to the fund layers that paid, pro rata."""
        if method not in RECOVERY_METHODS:
            raise ValidationFailed("method", "must be offset or payment")
        if amount > self.outstanding:
            raise RecoveryExceedsOutstanding(f"{self.outstanding} is outstanding")
        remaining = self._remaining_dues()
        parts = allocate(amount, [s.amount for s in remaining])
        shares = [FundShare(s.scheme, s.layer, p) for s, p in zip(remaining, parts, strict=True)]
        shares = [s for s in shares if s.amount > ZERO]
        self._recovered(amount=amount, method=method, shares=shares)
        return shares

    @event("RecoveryRecorded")
    def _recovered(self, amount: Decimal, method: str, shares: list[FundShare]) -> None:
        """The agency recorded money recovered from the institution (offset or payment)."""
        self.recovered.extend(shares)

    def _remaining_dues(self) -> list[FundShare]:
        paid: dict[tuple[str, str], Decimal] = {}
        for s in self.recovered:
            paid[(s.scheme, s.layer)] = paid.get((s.scheme, s.layer), ZERO) + s.amount
        return [
            FundShare(d.scheme, d.layer, d.amount - paid.get((d.scheme, d.layer), ZERO))
            for d in self.dues
        ]


def _dues(
    clawed: list[tuple[str, Decimal, Decimal]], amount: Decimal, penalty: Decimal
) -> list[FundShare]:
    """What each fund layer is owed: the clawed fund pay where it came from, the penalty to
    the basic layer of each scheme in proportion to its clawed amount."""
    owed: dict[tuple[str, str], Decimal] = {}
    for scheme, basic, major in clawed:
        owed[(scheme, BASIC)] = owed.get((scheme, BASIC), ZERO) + basic
        owed[(scheme, MAJOR)] = owed.get((scheme, MAJOR), ZERO) + major
    schemes = sorted({scheme for scheme, _, _ in clawed})
    by_scheme = [owed.get((s, BASIC), ZERO) + owed.get((s, MAJOR), ZERO) for s in schemes]
    for scheme, part in zip(schemes, allocate(penalty, by_scheme), strict=True):
        owed[(scheme, BASIC)] += part
    assert sum(owed.values(), ZERO) == amount + penalty
    return [FundShare(s, layer, v) for (s, layer), v in sorted(owed.items()) if v > ZERO]
