"""A claim's health data (diagnosis code, item names) as a value the store keeps sealed.

Diagnosis codes and the names of items and drugs are sensitive personal information (敏感个人
信息). A settlement's events keep them in one `HealthData`, encrypted by the application
under a key of the settlement's own (its id as the subject), so that disposing of exactly
that settlement destroys exactly its health data; item codes, quantities and every amount
stay in clear. `seal_claim` splits a claim's facts on the way in; `HealthData.named` puts the
names back on the way out: the only two places that know where health data sits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from domain.settlement_rules import ClaimItem


@dataclass(frozen=True)
class HealthData:
    subject_id: UUID
    diagnosis_code: str | None
    item_names: tuple[str, ...] | None

    @property
    def is_shredded(self) -> bool:
        return self.diagnosis_code is None

    @classmethod
    def shredded(cls, subject_id: UUID) -> HealthData:
        return cls(subject_id, None, None)

    def named(self, items: Sequence[ClaimItem]) -> list[ClaimItem]:
        """The items with their names (empty names once the health data is destroyed)."""
        names = self.item_names or ("",) * len(items)
        return [replace(item, name=name) for item, name in zip(items, names, strict=True)]

    def __repr__(self) -> str:  # never print health data by accident
        return f"HealthData(subject_id={self.subject_id}, shredded={self.is_shredded})"


def seal_claim(subject_id: UUID, facts: dict[str, Any]) -> dict[str, Any]:
    """A claim's facts with the diagnosis code and item names moved into `health`."""
    items: list[ClaimItem] = list(facts["items"])
    health = HealthData(subject_id, facts["diagnosis_code"], tuple(i.name for i in items))
    others = {k: v for k, v in facts.items() if k != "diagnosis_code"}
    return {**others, "items": [replace(i, name="") for i in items], "health": health}
