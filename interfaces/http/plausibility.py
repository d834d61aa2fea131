"""Plausibility that needs the region's today (by the application's clock): a body that is
well-formed but could not be true is a 422 naming the field, and nothing is recorded.

Rules that need no today (a term's length, a region inside the deployment's, a contribution
start between birth and enrollment) are the application's and the domain's, for every caller.
"""

from __future__ import annotations

from datetime import date

from application.region import Region
from domain.calendar import add_months
from interfaces.http.errors import InvalidField
from interfaces.http.schemas.requests import PersonEnrollment, SettlementBody


def _not_after(field: str, day: date, latest: date, what: str) -> None:
    if day > latest:
        raise InvalidField(field, f"must not be after {what} ({latest.isoformat()})")


def enrollment(body: PersonEnrollment, region: Region) -> PersonEnrollment:
    today = region.today()
    _not_after("birth_date", body.birth_date, today, "today")
    _not_after("birth_date", body.birth_date, body.enrolled_on, "enrolled_on")
    _not_after("enrolled_on", body.enrolled_on, add_months(today, 12), "a year from today")
    return body


def claim(body: SettlementBody, region: Region) -> SettlementBody:
    _not_after("service_date", body.service_date, region.today(), "today")
    return body
