"""Settling claims: adjudicate, record on the settlement and the person, once per request id."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.agreements import AgreementCommands
from application.context import Context, require_acting_for
from application.persons import PersonCommands
from domain.agreement import (
    AGREEMENT_NOT_IN_FORCE,
    InstitutionAgreement,
    require_institution_code,
)
from domain.errors import NotFound, RequestIdReused, ValidationFailed
from domain.person import PERSON_NOT_ENROLLED, Admission, InsuredPerson
from domain.settlement import Settlement, settlement_id
from domain.settlement_rules import (
    ClaimItem,
    ClaimRequest,
    SettlementResult,
    adjudicate,
    check_items,
)

VISIT_TYPES = ("outpatient", "inpatient")


@dataclass(frozen=True)
class SettlementRequest:
    """A claim as an institution sends it (结算申请)."""

    request_id: str
    institution_code: str
    person_id: UUID
    visit_id: str
    visit_type: str
    service_date: date
    diagnosis_code: str
    items: tuple[ClaimItem, ...]

    def validate(self) -> None:
        for field in ("request_id", "visit_id", "diagnosis_code"):
            if not str(getattr(self, field)).strip():
                raise ValidationFailed(field, "must not be empty")
        require_institution_code(self.institution_code)
        if self.visit_type not in VISIT_TYPES:
            raise ValidationFailed("visit_type", "must be outpatient or inpatient")
        check_items(self.items)
        if sum(item.amount for item in self.items) <= 0:
            raise ValidationFailed("items", "a claim must have a positive total")

    def fingerprint(self, key: bytes) -> str:
        """A keyed digest of the whole body: the same request id with another body is a
        conflict. Keyed, because the body holds the diagnosis and item names, which are sealed
        (and destroyed at disposal): a plain digest would let them be guessed back."""
        return hmac.new(key, self._canonical().encode(), hashlib.sha256).hexdigest()

    def first_release_fingerprint(self) -> str:
        """The plain digest that settlements recorded before the keyed one carry."""
        return hashlib.sha256(self._canonical().encode()).hexdigest()

    def _canonical(self) -> str:
        body = {
            "institution_code": self.institution_code,
            "person_id": self.person_id.hex,
            "visit_id": self.visit_id,
            "visit_type": self.visit_type,
            "service_date": self.service_date.isoformat(),
            "diagnosis_code": self.diagnosis_code,
            "items": [
                # Numbers by value: "12.5" and "12.50" are the same price on a retry.
                [
                    i.code,
                    i.name,
                    i.category,
                    *(_number(n) for n in (i.quantity, i.unit_price, i.amount)),
                ]
                for i in self.items
            ],
        }
        return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @property
    def admission(self) -> Admission | None:
        """The admission an inpatient claim belongs to (its deductible is paid once)."""
        return Admission.of_visit(self.institution_code, self.visit_type, self.visit_id)

    def claim(self) -> ClaimRequest:
        return ClaimRequest(
            visit_type=self.visit_type, service_date=self.service_date, items=self.items
        )


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class SettlementRecord:
    """A settlement as the interfaces see it."""

    settlement_id: UUID
    request_id: str
    institution_code: str
    person_id: UUID
    status: str
    result: SettlementResult | None
    rejection_code: str | None
    service_date: date
    position: int = 0
    created: bool = False  # False when a retry found the stored record

    @property
    def reason_codes(self) -> tuple[str, ...]:
        if self.result is not None:
            return self.result.reason_codes
        return (self.rejection_code,) if self.rejection_code else ()


def record_of(settlement: Settlement, position: int = 0, created: bool = False) -> SettlementRecord:
    return SettlementRecord(
        settlement_id=settlement.id,
        request_id=settlement.request_id,
        institution_code=settlement.institution_code,
        person_id=settlement.person_id,
        status=settlement.status,
        result=settlement.result,
        rejection_code=settlement.rejection_code,
        service_date=settlement.service_date,
        position=position,
        created=created,
    )


@dataclass(frozen=True)
class Adjudication:
    """What a claim would get (preview) — either a result or a rejection code."""

    result: SettlementResult | None
    rejection_code: str | None


class SettlementCommands(PersonCommands, AgreementCommands):
    def settle(self, ctx: Context, request: SettlementRequest) -> SettlementRecord:
        """Settle a claim, idempotently per (institution, request id)."""
        request.validate()
        require_acting_for(ctx, request.institution_code)
        ctx = replace(ctx, request_id=request.request_id)  # the audit names the client's id
        sid = settlement_id(request.institution_code, request.request_id)
        fingerprint = request.fingerprint(self.id_secret)

        attempts = 0

        def decide() -> tuple[list[Any], tuple[Settlement, bool]]:
            # The first attempt reads nothing: the settlement is inserted as version 1, so a
            # duplicate request id fails the insert, and the retry answers from the record.
            nonlocal attempts
            attempts += 1
            existing = self._find(sid, Settlement) if attempts > 1 else None
            if existing is not None:
                same = (fingerprint, request.first_release_fingerprint())
                if existing.fingerprint not in same:
                    raise RequestIdReused()
                return [], (existing, False)
            aggregates, settlement = self._decide_settlement(request, fingerprint)
            return aggregates, (settlement, True)

        (settlement, created), position = self._commit(ctx, decide)
        return record_of(settlement, position, created)

    def preview(self, request: SettlementRequest) -> Adjudication:
        """试算: what the claim would get now; nothing is recorded."""
        request.validate()
        person = self._find(request.person_id, InsuredPerson)
        agreement = self.agreement_for_claim(request.institution_code, request.service_date)
        code = self._standing(request, agreement, person)
        if code is not None or person is None or agreement is None:
            return Adjudication(None, code or PERSON_NOT_ENROLLED)
        level = agreement.level
        policy = self.policies.for_service_date(request.service_date)
        claimant = person.claimant(request.service_date, request.admission)
        return Adjudication(adjudicate(request.claim(), claimant, level, policy), None)

    def reverse_settlement(
        self, ctx: Context, settlement: UUID, *, reason: str
    ) -> SettlementRecord:
        """撤销: a new record pointing at the original; the person gets back what it took."""

        def decide() -> tuple[list[Any], Settlement]:
            original = self.settlement_aggregate(settlement)
            require_acting_for(ctx, original.institution_code)
            original.reverse()
            person = self._get(original.person_id, InsuredPerson, "person")
            person.reverse_claim(original.id, original.claim_entry())
            return [original, person], original

        reversed_, position = self._commit(ctx, decide, reason=reason)
        return record_of(reversed_, position)

    def settlement(self, settlement: UUID) -> SettlementRecord:
        return record_of(self.settlement_aggregate(settlement))

    def settlement_aggregate(self, settlement: UUID) -> Settlement:
        found = self._find(settlement, Settlement)
        if found is None:
            raise NotFound(f"no settlement {settlement}")
        return found

    # --- the decision --------------------------------------------------------------------

    def _decide_settlement(
        self, request: SettlementRequest, fingerprint: str
    ) -> tuple[list[Any], Settlement]:
        person = self._decision_input(request.person_id, InsuredPerson)
        agreement = self.agreement_for_claim(
            request.institution_code, request.service_date, cached=True
        )
        facts = {
            "institution_code": request.institution_code,
            "request_id": request.request_id,
            "fingerprint": fingerprint,
            "person_id": request.person_id,
            "agreement_id": agreement.id if agreement else None,
            "scheme": person.scheme if person else None,
            "visit_id": request.visit_id,
            "visit_type": request.visit_type,
            "service_date": request.service_date,
            "diagnosis_code": request.diagnosis_code,
            "items": list(request.items),
        }
        code = self._standing(request, agreement, person)
        if code is not None or person is None or agreement is None:
            code = code or PERSON_NOT_ENROLLED
            rejected = Settlement.reject(code, **facts)
            if person is None:
                return [rejected], rejected
            person.record_refusal(rejected.id, request.service_date, code)
            return [rejected, person], rejected
        policy = self.policies.for_service_date(request.service_date)
        claimant = person.claimant(request.service_date, request.admission)
        result = adjudicate(request.claim(), claimant, agreement.level, policy)
        settled = Settlement.settle(result, **facts)
        person.record_claim(settled.id, request.service_date, request.admission, result)
        return [settled, person], settled

    @staticmethod
    def _standing(
        request: SettlementRequest,
        agreement: InstitutionAgreement | None,
        person: InsuredPerson | None,
    ) -> str | None:
        """The rejection code, or None: the agreement is checked first, then the person."""
        if agreement is None:
            return AGREEMENT_NOT_IN_FORCE
        code = agreement.standing_on(request.service_date)
        if code is None and person is None:
            return PERSON_NOT_ENROLLED
        return code or (person.standing_on(request.service_date) if person else None)
