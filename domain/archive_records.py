"""Archive records as the archive office sees them: one record (an event) and whose it is,
and the scope of a hold or a disposal query (aggregates, or class, period, institution,
person) that covers records.

Whose records an aggregate's are comes from its first event (`owner_of`); the catalogue's
holds (`projections/archive_holds.py`) and the application's disposal checks both ask here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.errors import ValidationFailed
from domain.retention import CLASS_NAMES, classify


@dataclass(frozen=True)
class RecordFacts:
    """What a scope is matched against: one record (an event) and whose it is."""

    aggregate_id: UUID
    event_type: str
    formed: date
    person_id: UUID | None = None
    institution_code: str | None = None

    @property
    def record_class(self) -> str:
        return classify(self.event_type)[0].name

    @property
    def due(self) -> date | None:
        return classify(self.event_type)[0].due_date(self.formed)


@dataclass(frozen=True)
class RecordScope:
    """Aggregates by id, or a record query; every criterion given must match."""

    aggregate_ids: tuple[UUID, ...] = ()
    record_class: str | None = None
    since: date | None = None
    until: date | None = None
    institution_code: str | None = None
    person_id: UUID | None = None

    @property
    def is_query(self) -> bool:
        return not self.aggregate_ids

    def validate(self) -> RecordScope:
        query = (self.record_class, self.since, self.until, self.institution_code, self.person_id)
        given = [q for q in query if q is not None]
        if self.aggregate_ids and given:
            raise ValidationFailed("scope", "name aggregate_ids or a record query, not both")
        if not self.aggregate_ids and not given:
            raise ValidationFailed("scope", "name aggregate_ids or at least one criterion")
        if self.record_class is not None and self.record_class not in CLASS_NAMES:
            raise ValidationFailed("scope.record_class", "not a record class")
        if self.since and self.until and self.until < self.since:
            raise ValidationFailed("scope.until", "must not be before since")
        return self

    def covers(self, record: RecordFacts) -> bool:
        if not self.is_query:
            return record.aggregate_id in self.aggregate_ids
        return (
            (self.record_class is None or self.record_class == record.record_class)
            and (self.since is None or record.formed >= self.since)
            and (self.until is None or record.formed <= self.until)
            and (self.person_id is None or self.person_id == record.person_id)
            and (self.institution_code is None or self.institution_code == record.institution_code)
        )


# The first events that name whose records an aggregate's are (a person, an institution).
OWNER_EVENTS = frozenset(
    {
        "InsuredPerson.Enrolled",
        "Settlement.Settled",
        "Settlement.Rejected",
        "Institution.Registered",
        "InstitutionAgreement.Signed",
        "Budget.Issued",
        "Clawback.Assessed",
    }
)


def owner_of(aggregate_id: UUID, first_event: Any) -> tuple[UUID | None, str | None]:
    """(person id, institution code) whose records an aggregate's are, from its first event;
    the catalogue's holds and the application's disposal checks both ask here."""
    kind = type(first_event).__qualname__
    if kind not in OWNER_EVENTS:
        return None, None
    person = aggregate_id if kind == "InsuredPerson.Enrolled" else None
    # The institution register's first event names its institution as `code`.
    field = "code" if kind == "Institution.Registered" else "institution_code"
    return getattr(first_event, "person_id", person), getattr(first_event, field, None)


def facts_of(aggregate_id: UUID, events: Iterable[Any], formed_on: Any) -> list[RecordFacts]:
    """The records of one aggregate from its events; `formed_on(event)` is the region's day
    the event was recorded."""
    found: list[RecordFacts] = []
    owner: tuple[UUID | None, str | None] = (None, None)
    for number, domain_event in enumerate(events):
        if number == 0:
            owner = owner_of(aggregate_id, domain_event)
        found.append(
            RecordFacts(
                aggregate_id=aggregate_id,
                event_type=type(domain_event).__qualname__,
                formed=formed_on(domain_event),
                person_id=owner[0],
                institution_code=owner[1],
            )
        )
    return found
