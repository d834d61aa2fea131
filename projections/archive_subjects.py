"""Whose record an event is: the scheme and region parts of its archive number.

An aggregate names its scheme and region in its first event (a person's enrollment, a
fund's opening, a settlement through its agreement and person); the catalogue remembers
them by aggregate id for the events that follow. Records of no scheme are `X`; an event
that names no region is filed under the deployment's region.
"""

from __future__ import annotations

from uuid import UUID

from projections.batch import Batch
from projections.events import Recorded
from projections.retention import NO_SCHEME, scheme_code

# The events whose fields name a subject's scheme and region (the only ones decoded here).
SUBJECT_EVENTS = frozenset(
    {
        "InsuredPerson.Enrolled",
        "FundAccount.Opened",
        "Budget.Issued",
        "InstitutionAgreement.Signed",
        "Settlement.Settled",
        "Settlement.Rejected",
        "Clawback.Assessed",
    }
)


def subject_of(batch: Batch, r: Recorded, default_region: str) -> tuple[str, str]:
    learned = _learn(batch, r, default_region)
    if learned is not None:
        scheme, region = learned
        row = {"aggregate_id": r.originator_id, "scheme_code": scheme, "region_code": region}
        batch.put("subjects", row)
        return learned
    known = batch.get("subjects", r.originator_id)
    if known is not None:
        return known["scheme_code"], known["region_code"]
    return NO_SCHEME, default_region


def _learn(batch: Batch, r: Recorded, default_region: str) -> tuple[str, str] | None:
    kind = r.event_type
    if kind in ("InsuredPerson.Enrolled", "FundAccount.Opened", "Budget.Issued"):
        return scheme_code(r.event.scheme), r.event.region_code
    if kind == "InstitutionAgreement.Signed":
        return NO_SCHEME, r.event.region_code
    if kind in ("Settlement.Settled", "Settlement.Rejected"):
        region = _region_of(batch, default_region, r.event.agreement_id, r.event.person_id)
        return scheme_code(r.event.scheme), region
    if kind == "Clawback.Assessed":
        return NO_SCHEME, _region_of(batch, default_region, r.event.agreement_id)
    return None


def _region_of(batch: Batch, default_region: str, *aggregate_ids: UUID | None) -> str:
    for aggregate_id in aggregate_ids:
        known = batch.get("subjects", aggregate_id) if aggregate_id else None
        if known is not None:
            return str(known["region_code"])
    return default_region
