"""Every business refusal has one HTTP status, decided in `interfaces/http/errors.py`."""

from __future__ import annotations

import importlib
import pkgutil

import domain
from domain.errors import all_error_classes
from interfaces.http.errors import STATUS


def test_every_domain_error_class_has_an_http_status() -> None:
    for module in pkgutil.iter_modules(domain.__path__):
        importlib.import_module(f"domain.{module.name}")

    unmapped = [cls.__qualname__ for cls in all_error_classes() if cls not in STATUS]

    assert unmapped == []


def test_no_business_refusal_is_a_server_error() -> None:
    server_errors = [cls.__qualname__ for cls, status in STATUS.items() if status >= 500]

    assert server_errors == ["MissingAuditContext"]
