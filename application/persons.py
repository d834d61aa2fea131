"""Commands and queries on insured persons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

from application.context import Context
from application.forgetting import Forgetting
from domain.access import PersonalDataAccess
from domain.errors import AlreadyEnrolled, PersonNotFound, ValidationFailed
from domain.national_id import derive_person_id, mask_national_id, validate_national_id
from domain.person import InsuredPerson
from domain.personal_data import PersonalData
from domain.values import SCHEMES, DateWindow, require_inside, require_scheme


@dataclass(frozen=True)
class Enrollment:
    person_id: UUID
    position: int


@dataclass(frozen=True)
class PersonSummary:
    """What an operator may see of a person (no clear personal data)."""

    person_id: UUID
    scheme: str
    status: str
    masked_id: str
    region_code: str
    categories: tuple[str, ...]
    enrolled_on: date
    year: int
    outpatient_deductible_used: Decimal
    fund_paid_basic: Decimal
    fund_paid_major: Decimal
    account_balance: Decimal
    version: int


class PersonCommands(Forgetting):
    def enroll(
        self,
        ctx: Context,
        *,
        national_id: str,
        name: str,
        birth_date: date,
        scheme: str,
        region_code: str,
        enrolled_on: date,
        contribution_start: date | None = None,
        categories: list[str] | None = None,
    ) -> Enrollment:
        national_id = validate_national_id(national_id, birth_date)
        require_scheme(scheme)
        require_inside(region_code, self.region_code)
        if not name.strip():
            raise ValidationFailed("name", "must not be empty")
        if enrolled_on < birth_date:
            raise ValidationFailed("enrolled_on", "must not be before the birth date")
        if contribution_start is not None and not birth_date <= contribution_start <= enrolled_on:
            raise ValidationFailed(
                "contribution_start", "must be between the birth date and enrolled_on"
            )
        person_id = self.person_id_for(scheme, national_id)

        def decide() -> tuple[list[InsuredPerson], UUID]:
            if self._find(person_id, InsuredPerson) is not None:
                raise AlreadyEnrolled()
            person = InsuredPerson.enroll(
                person_id=person_id,
                scheme=scheme,
                region_code=region_code,
                enrolled_on=enrolled_on,
                contribution_start=contribution_start,
                categories=list(categories or []),
                masked_id=mask_national_id(national_id),
                personal=PersonalData(person_id, name.strip(), national_id, birth_date),
            )
            return [person], person_id

        pid, position = self._commit(ctx, decide)
        return Enrollment(pid, position)

    def person_id_for(self, scheme: str, national_id: str) -> UUID:
        return derive_person_id(scheme, national_id.upper(), self.id_secret)

    def lookup_person(
        self, ctx: Context, national_id: str, scheme: str | None = None
    ) -> list[PersonSummary]:
        """Find a person's enrollments by national ID; the read itself is recorded (调阅登记)."""
        schemes = [require_scheme(scheme)] if scheme else list(SCHEMES)
        candidates = [self.person_id_for(s, national_id.strip()) for s in schemes]
        self.forget_disposed()
        loaded = (self._find(pid, InsuredPerson) for pid in candidates)
        # A disposed person's key is gone: the ID no longer leads to them.
        found = [p for p in loaded if p is not None and not p.personal.is_shredded]
        self.record_personal_data_read(ctx, [p.id for p in found], purpose="lookup")
        if not found:
            raise PersonNotFound()
        return [self._summary(p, self.today().year) for p in found]

    def record_personal_data_read(self, ctx: Context, subject_ids: list[UUID], purpose: str) -> int:
        access_id = uuid4()  # each read is its own record, however alike two reads are

        def decide() -> tuple[list[PersonalDataAccess], None]:
            read = PersonalDataAccess(id=access_id, subject_ids=subject_ids, purpose=purpose)
            return [read], None

        return self._commit(ctx, decide)[1]

    def person(self, person_id: UUID, year: int | None = None) -> PersonSummary:
        return self._summary(self._person(person_id), year or self.today().year)

    def _summary(self, person: InsuredPerson, year: int) -> PersonSummary:
        ytd = person.year(year)
        return PersonSummary(
            person_id=person.id,
            scheme=person.scheme,
            status=person.status_on(self.today()),
            masked_id=person.masked_id,
            region_code=person.region_code,
            categories=tuple(person.categories),
            enrolled_on=person.enrolled_on,
            year=year,
            outpatient_deductible_used=ytd.outpatient_deductible_used,
            fund_paid_basic=ytd.fund_paid_basic,
            fund_paid_major=ytd.fund_paid_major,
            account_balance=person.account_balance,
            version=person.version,
        )

    def suspend_person(
        self,
        ctx: Context,
        person_id: UUID,
        *,
        reason: str,
        effective_from: date,
        effective_until: date | None = None,
        fraud: bool = False,
    ) -> int:
        window = DateWindow.requested(effective_from, effective_until)

        def decide() -> tuple[list[InsuredPerson], None]:
            person = self._person(person_id)
            rules = self.policies.for_service_date(effective_from).person
            months = (rules.fraud_suspension_min_months, rules.fraud_suspension_max_months)
            person.suspend(window, fraud=fraud, fraud_months=months)
            return [person], None

        return self._commit_once(
            ctx,
            "suspend_person",
            {"person": person_id, "window": window, "fraud": fraud},
            decide,
            reason=reason,
        )

    def reinstate_person(
        self, ctx: Context, person_id: UUID, *, reason: str, effective_from: date
    ) -> int:
        def decide() -> tuple[list[InsuredPerson], None]:
            person = self._person(person_id)
            person.reinstate(effective_from)
            return [person], None

        return self._commit_once(
            ctx,
            "reinstate_person",
            {"person": person_id, "from": effective_from},
            decide,
            reason=reason,
        )

    def terminate_person(
        self, ctx: Context, person_id: UUID, *, reason: str, effective_from: date
    ) -> int:
        def decide() -> tuple[list[InsuredPerson], None]:
            person = self._person(person_id)
            person.terminate(effective_from)
            return [person], None

        return self._commit_once(
            ctx,
            "terminate_person",
            {"person": person_id, "from": effective_from},
            decide,
            reason=reason,
        )

    def credit_account(self, ctx: Context, person_id: UUID, *, amount: Decimal, period: str) -> int:
        def decide() -> tuple[list[InsuredPerson], None]:
            person = self._person(person_id)
            person.credit_account(amount, period)
            return [person], None

        return self._commit(ctx, decide)[1]

    def _person(self, person_id: UUID) -> InsuredPerson:
        """A person named by id (an unknown id is NOT_FOUND; PERSON_NOT_FOUND is for lookups)."""
        return self._get(person_id, InsuredPerson, "person")
