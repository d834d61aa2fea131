"""Commands on the region's fund accounts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.context import Context
from application.core import RegionCore
from domain.agreement import InstitutionAgreement
from domain.errors import AlreadyExists
from domain.fund import FundAccount, fund_id
from domain.values import require_inside


@dataclass(frozen=True)
class FundOpened:
    fund_id: UUID
    position: int


class FundCommands(RegionCore):
    def open_fund(
        self, ctx: Context, *, scheme: str, layer: str, region_code: str, name: str
    ) -> FundOpened:
        require_inside(region_code, self.region_code)

        def decide() -> tuple[list[Any], UUID]:
            if self._find(fund_id(scheme, layer, region_code), FundAccount) is not None:
                raise AlreadyExists(f"the {scheme} {layer} fund of {region_code} is already open")
            fund = FundAccount.open(scheme, layer, region_code, name)
            return [fund], fund.id

        opened, position = self._commit(ctx, decide)
        return FundOpened(opened, position)

    def receive_contribution(
        self, ctx: Context, fund: UUID, *, amount: Decimal, period: str, source: str
    ) -> int:
        def decide() -> tuple[list[Any], None]:
            account = self._get(fund, FundAccount, "fund")
            account.receive_contribution(amount, period, source)
            return [account], None

        body = {"fund": fund, "amount": amount, "period": period, "source": source}
        return self._commit_once(ctx, "receive_contribution", body, decide)

    def disburse(
        self, ctx: Context, fund: UUID, *, agreement_id: UUID, period: str, amount: Decimal
    ) -> int:
        """Pay an institution for settled claims; refused beyond the fund's balance."""

        def decide() -> tuple[list[Any], None]:
            account = self._get(fund, FundAccount, "fund")
            self._get(agreement_id, InstitutionAgreement, "agreement")
            account.disburse(agreement_id, period, amount, kind="settlement")
            return [account], None

        body = {"fund": fund, "agreement": agreement_id, "period": period, "amount": amount}
        return self._commit_once(ctx, "disburse", body, decide)

    def fund_balance(self, fund: UUID) -> Decimal:
        return self._get(fund, FundAccount, "fund").balance
