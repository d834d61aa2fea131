"""Builders the tests share: valid national IDs, claims, contexts."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from uuid import UUID

from application.context import AGENCY, INSTITUTION, Actor, Context
from application.region import Region
from application.settlements import SettlementRequest
from domain.national_id import check_char
from domain.settlement_rules import ClaimItem

HOSPITAL = "H31010100001"
_serial = itertools.count(1)


def national_id(birth: date, serial: int | None = None) -> str:
    first17 = f"310101{birth:%Y%m%d}{(serial or next(_serial)) % 1000:03d}"
    return first17 + check_char(first17)


def agency(request_id: str = "") -> Context:
    return Context(Actor("operator-1", AGENCY), request_id=request_id)


def institution(code: str = HOSPITAL, request_id: str = "") -> Context:
    return Context(Actor(f"his-{code}", INSTITUTION, code), request_id=request_id)


def enroll(
    region: Region,
    birth: date = date(1961, 1, 5),
    *,
    scheme: str = "resident",
    categories: list[str] | None = None,
    enrolled_on: date = date(2025, 1, 2),
) -> UUID:
    return region.enroll(
        agency(),
        national_id=national_id(birth),
        name="测试",
        birth_date=birth,
        scheme=scheme,
        region_code="310000",
        enrolled_on=enrolled_on,
        contribution_start=date(2015, 1, 1),
        categories=categories or [],
    ).person_id


def sign(
    region: Region,
    code: str = HOSPITAL,
    level: int = 1,
    ownership: str = "public",
    annual_budget: str = "1200000.00",
) -> UUID:
    return region.sign_agreement(
        agency(),
        institution_code=code,
        institution_name="测试医院",
        level=level,
        ownership=ownership,
        term_start=date(2026, 1, 1),
        term_end=date(2026, 12, 31),
        annual_budget=Decimal(annual_budget),
    ).agreement_id


def claim(
    person_id: UUID,
    amount: str = "1300.00",
    *,
    request_id: str = "REQ-1",
    code: str = HOSPITAL,
    day: date = date(2026, 3, 10),
    visit_type: str = "outpatient",
    category: str = "A",
) -> SettlementRequest:
    value = Decimal(amount)
    return SettlementRequest(
        request_id=request_id,
        institution_code=code,
        person_id=person_id,
        visit_id=f"V-{request_id}",
        visit_type=visit_type,
        service_date=day,
        diagnosis_code="J06.900",
        items=(ClaimItem("D0001", "诊疗费", category, Decimal(1), value, value),),
    )
