"""Personal data (name, national ID, birth date) as a value the event store keeps encrypted.

The application's transcoding encrypts it with a key per person held outside the events;
deleting that key (crypto-shredding, at disposal) leaves a `PersonalData` whose fields are
None while every amount in the history stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID


@dataclass(frozen=True)
class PersonalData:
    subject_id: UUID
    name: str | None
    national_id: str | None
    birth_date: date | None

    @property
    def is_shredded(self) -> bool:
        return self.national_id is None

    @classmethod
    def shredded(cls, subject_id: UUID) -> PersonalData:
        return cls(subject_id, None, None, None)

    def __repr__(self) -> str:  # never print personal data by accident
        return f"PersonalData(subject_id={self.subject_id}, shredded={self.is_shredded})"
