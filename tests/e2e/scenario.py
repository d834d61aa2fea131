"""Building a small region over HTTP, the way an agency and a hospital would."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from tests.e2e.conftest import Api
from tests.support import HOSPITAL, national_id

_serial = itertools.count(1)


AGREEMENT_BODY: dict[str, Any] = {
    "institution_code": HOSPITAL,
    "institution_name": "示范医院",
    "level": 1,
    "ownership": "public",
    "term_start": "2026-01-01",
    "term_end": "2026-12-31",
    "annual_budget": "1200000.00",
}


def sign(api: Api, code: str = HOSPITAL, *, level: int = 1, ownership: str = "public") -> str:
    response = api.post(
        "/v1/agreements",
        {**AGREEMENT_BODY, "institution_code": code, "level": level, "ownership": ownership},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["agreement_id"])


def enrollment(birth: date = date(1961, 1, 5), scheme: str = "resident") -> dict[str, Any]:
    return {
        "national_id": national_id(birth, next(_serial)),
        "name": "测试",
        "birth_date": birth.isoformat(),
        "scheme": scheme,
        "region_code": "310000",
        "enrolled_on": "2025-01-02",
        "contribution_start": "2015-01-01",
    }


def enroll(api: Api, birth: date = date(1961, 1, 5), scheme: str = "resident") -> str:
    response = api.post("/v1/persons", enrollment(birth, scheme))
    assert response.status_code == 201, response.text
    return str(response.json()["person_id"])


def open_fund(api: Api, scheme: str = "resident", layer: str = "basic") -> str:
    body = {"scheme": scheme, "layer": layer, "region_code": "310000", "name": f"{scheme} {layer}"}
    response = api.post("/v1/funds", body)
    assert response.status_code == 201, response.text
    return str(response.json()["fund_id"])


def claim(
    person_id: str,
    amount: str = "1300.00",
    *,
    request_id: str | None = None,
    code: str = HOSPITAL,
    day: str = "2026-03-10",
) -> dict[str, Any]:
    request_id = request_id or f"REQ-{next(_serial)}"
    return {
        "request_id": request_id,
        "institution_code": code,
        "person_id": person_id,
        "visit_id": f"V-{request_id}",
        "visit_type": "outpatient",
        "service_date": day,
        "diagnosis_code": "J06.900",
        "items": [
            {
                "code": "D0001",
                "name": "诊疗费",
                "category": "A",
                "quantity": "1",
                "unit_price": amount,
                "amount": amount,
            }
        ],
    }


def settle(api: Api, body: dict[str, Any], role: str = "institution") -> dict[str, Any]:
    response = api.post("/v1/settlements", body, role=role)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def head(api: Api) -> int:
    return api.container.region.head()
