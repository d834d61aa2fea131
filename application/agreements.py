"""Commands on institutions' service agreements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.context import Context
from application.core import RegionCore
from domain.agreement import Institution, InstitutionAgreement, require_institution_code
from domain.values import DateWindow, require_inside


@dataclass(frozen=True)
class Signed:
    agreement_id: UUID
    position: int


class AgreementCommands(RegionCore):
    def sign_agreement(
        self,
        ctx: Context,
        *,
        institution_code: str,
        institution_name: str,
        level: int,
        ownership: str,
        term_start: date,
        term_end: date,
        annual_budget: Decimal,
        region_code: str | None = None,
    ) -> Signed:
        """Sign an agreement; refused while another agreement of the institution is in force."""
        code = require_institution_code(institution_code)
        region = require_inside(region_code or self.region_code, self.region_code)

        def decide() -> tuple[list[Any], UUID]:
            institution = self._find(Institution.create_id(code), Institution) or Institution(
                code=code
            )
            for earlier in self._agreements_of(institution):
                earlier.require_no_other_in_force(term_start)
            agreement = InstitutionAgreement.sign(
                agreement_id=institution.next_agreement_id(),
                institution_code=code,
                institution_name=institution_name,
                region_code=region,
                level=level,
                ownership=ownership,
                term_start=term_start,
                term_end=term_end,
                annual_budget=annual_budget,
            )
            institution.add_agreement(agreement.id)
            return [institution, agreement], agreement.id

        agreement_id, position = self._commit(ctx, decide)
        return Signed(agreement_id, position)

    def renew_agreement(
        self,
        ctx: Context,
        agreement_id: UUID,
        *,
        term_start: date,
        term_end: date,
        annual_budget: Decimal,
    ) -> int:
        def decide() -> tuple[list[Any], None]:
            agreement = self._agreement(agreement_id)
            rules = self.policies.for_service_date(self.today()).agreement
            agreement.renew(
                term_start,
                term_end,
                annual_budget,
                requested_on=self.today(),
                notice_months=rules.renewal_notice_months,
            )
            return [agreement], None

        return self._commit_once(
            ctx,
            "renew_agreement",
            {"agreement": agreement_id, "term": (term_start, term_end), "budget": annual_budget},
            decide,
        )

    def suspend_agreement(
        self,
        ctx: Context,
        agreement_id: UUID,
        *,
        reason: str,
        effective_from: date,
        effective_until: date | None = None,
        voluntary: bool = False,
    ) -> int:
        window = DateWindow.requested(effective_from, effective_until)

        def decide() -> tuple[list[Any], None]:
            agreement = self._agreement(agreement_id)
            rules = self.policies.for_service_date(effective_from).agreement
            agreement.suspend(
                window,
                voluntary=voluntary,
                max_voluntary_days=rules.voluntary_suspension_max_days,
                flag_threshold=rules.suspensions_flag_threshold,
            )
            return [agreement], None

        return self._commit_once(
            ctx,
            "suspend_agreement",
            {"agreement": agreement_id, "window": window, "voluntary": voluntary},
            decide,
            reason=reason,
        )

    def reinstate_agreement(
        self, ctx: Context, agreement_id: UUID, *, reason: str, effective_from: date
    ) -> int:
        def decide() -> tuple[list[Any], None]:
            agreement = self._agreement(agreement_id)
            agreement.reinstate(effective_from)
            return [agreement], None

        return self._commit_once(
            ctx,
            "reinstate_agreement",
            {"agreement": agreement_id, "from": effective_from},
            decide,
            reason=reason,
        )

    def terminate_agreement(
        self, ctx: Context, agreement_id: UUID, *, ground: str, reason: str, effective_from: date
    ) -> int:
        def decide() -> tuple[list[Any], None]:
            agreement = self._agreement(agreement_id)
            agreement.terminate(ground, effective_from)
            return [agreement], None

        return self._commit_once(
            ctx,
            "terminate_agreement",
            {"agreement": agreement_id, "ground": ground, "from": effective_from},
            decide,
            reason=reason,
        )

    # --- loading -------------------------------------------------------------------------

    def _agreement(self, agreement_id: UUID) -> InstitutionAgreement:
        return self._get(agreement_id, InstitutionAgreement, "agreement")

    def _agreements_of(self, institution: Institution) -> list[InstitutionAgreement]:
        return [self._agreement(a) for a in institution.agreement_ids]

    def agreement_for_claim(
        self, institution_code: str, service_date: date, *, cached: bool = False
    ) -> InstitutionAgreement | None:
        """The agreement whose term covers the service date, else the newest one (`cached`:
        from the decision cache, for the settlement path)."""
        load = self._decision_input if cached else self._find
        institution = load(Institution.create_id(institution_code), Institution)
        if institution is None:
            return None
        agreements = [load(a, InstitutionAgreement) for a in institution.agreement_ids]
        newest_first = [a for a in reversed(agreements) if a is not None]
        covering = [a for a in newest_first if any(t.contains(service_date) for t in a.terms)]
        return next(iter(covering or newest_first), None)
