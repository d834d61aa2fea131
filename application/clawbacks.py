"""Clawbacks and penalties, and recovering them into the fund layers that paid."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from application.context import Context
from application.core import RegionCore
from domain.agreement import InstitutionAgreement
from domain.clawback import BASES, Clawback, penalty_for
from domain.errors import (
    ClawbackExceedsFundPay,
    FundNotOpen,
    RequestIdReused,
    SettlementNotOfAgreement,
    ValidationFailed,
)
from domain.fund import FundAccount, fund_id, require_amount
from domain.money import ZERO
from domain.settlement import Settlement


@dataclass(frozen=True)
class Assessed:
    clawback_id: UUID
    amount: Decimal
    penalty: Decimal
    position: int


class ClawbackCommands(RegionCore):
    def assess_clawback(
        self,
        ctx: Context,
        *,
        agreement_id: UUID,
        settlement_ids: list[UUID],
        amount: Decimal,
        basis: str,
        penalty_multiple: Decimal,
        reason: str,
    ) -> Assessed:
        """Claw back fund pay from named settlements of the agreement's institution, in the
        order given, never more than each settlement's fund pay still unclawed."""
        require_amount(amount)
        if not settlement_ids or len(set(settlement_ids)) != len(settlement_ids):
            raise ValidationFailed("settlement_ids", "must name distinct settlements")
        # The request is validated whole before anything is looked up (§6): a bad multiple
        # is the answer even when the settlements would refuse the amount too.
        multiples = self._penalty_range(basis)
        penalty_for(amount, penalty_multiple, multiples)
        # A retried request (same actor, same request id) is the same assessment.
        key = f"yibao:clawback:{ctx.actor.actor_id}:{ctx.request_id}"
        clawback_id = uuid5(NAMESPACE_URL, key) if ctx.request_id else uuid4()
        asked = (agreement_id, list(settlement_ids), amount, basis, penalty_multiple)

        def decide() -> tuple[list[Any], Clawback]:
            existing = self._find(clawback_id, Clawback)
            if existing is not None:
                stored = (
                    existing.agreement_id,
                    existing.settlement_ids,
                    existing.amount,
                    existing.basis,
                    existing.penalty_multiple,
                )
                if stored != asked:
                    raise RequestIdReused("this request id was used for another clawback")
                return [], existing
            agreement = self._get(agreement_id, InstitutionAgreement, "agreement")
            settlements = [self._get(s, Settlement, "settlement") for s in settlement_ids]
            for s in settlements:
                if s.institution_code != agreement.institution_code:
                    raise SettlementNotOfAgreement(f"settlement {s.id}")
            if amount > sum((s.clawable for s in settlements), ZERO):
                raise ClawbackExceedsFundPay(
                    "the amount exceeds the settlements' unclawed fund pay"
                )
            clawed, left = [], amount
            for s in settlements:
                part = min(left, s.clawable)
                if part > ZERO:
                    basic, major = s.claw_back(clawback_id, part)
                    clawed.append((s.scheme or "", basic, major))
                    left -= part
            clawback = Clawback.assess(
                clawback_id=clawback_id,
                agreement_id=agreement_id,
                institution_code=agreement.institution_code,
                settlement_ids=settlement_ids,
                amount=amount,
                basis=basis,
                penalty_multiple=penalty_multiple,
                multiples=multiples,
                clawed=clawed,
            )
            return [clawback, *settlements], clawback

        clawback, position = self._commit(ctx, decide, reason=reason)
        return Assessed(clawback.id, clawback.amount, clawback.penalty, position)

    def _penalty_range(self, basis: str) -> tuple[Decimal, Decimal]:
        """The penalty multiples allowed for the basis under today's policy (inclusive)."""
        if basis not in BASES:
            raise ValidationFailed("basis", "must be violation or fraud")
        allowed = self.policies.for_service_date(self.today()).clawback.range_for(basis)
        return allowed.low, allowed.high

    def record_recovery(
        self, ctx: Context, clawback_id: UUID, *, amount: Decimal, method: str
    ) -> int:
        """Book recovered money; each part returns to the fund layer that paid it."""
        require_amount(amount)

        def decide() -> tuple[list[Any], None]:
            clawback = self._get(clawback_id, Clawback, "clawback")
            agreement = self._get(clawback.agreement_id, InstitutionAgreement, "agreement")
            funds = []
            for share in clawback.recover(amount, method):
                fid = fund_id(share.scheme, share.layer, agreement.region_code)
                fund = self._find(fid, FundAccount)
                if fund is None:
                    raise FundNotOpen(
                        f"no {share.scheme} {share.layer} fund in {agreement.region_code}"
                    )
                fund.receive_recovery(clawback_id, share.amount, method)
                funds.append(fund)
            return [clawback, *funds], None

        body = {"clawback": clawback_id, "amount": amount, "method": method}
        return self._commit_once(ctx, "record_recovery", body, decide)
