"""Every refusal as RFC 9457 problem+json with a machine `code`, mapped here and nowhere else.

`STATUS` names every class of the domain error tree (a meta-test holds it complete, so a new
refusal is a deliberate HTTP decision); at run time an unlisted subclass takes its family's
status. The HTTP layer's own refusals (401, 403, 503, a rejected claim) are `HttpProblem`s.
Anything else that escapes a route is a 500 `INTERNAL_ERROR` (`last_resort.py`).
"""

from __future__ import annotations

import functools
import logging
import re
from http import HTTPStatus
from typing import Any

import eventsourcing.persistence as es_persistence
import psycopg
import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain import errors as e
from domain.national_id import InvalidNationalId
from domain.policy import NoPolicyInForce
from domain.settlement_rules import ItemAmountMismatch
from interfaces.http.last_resort import CatchAll
from interfaces.http.outage import OutageGuard
from interfaces.http.strict_body import MAX_BODY_BYTES, BodyGuard

log = logging.getLogger("yibao.http")
PROBLEM = "application/problem+json"
_UNPROCESSABLE = 422

# ValueErrors a query may raise on parameters the schemas let through, with the parameter they
# name (`field`, when the class has one). Only these are a 422: any other ValueError is a bug.
QUERY_ERRORS: tuple[type[ValueError], ...] = ()

STATUS: dict[type[e.DomainError], int] = {
    e.DomainError: _UNPROCESSABLE,
    e.MissingAuditContext: 500,
    e.ValidationFailed: _UNPROCESSABLE,
    InvalidNationalId: _UNPROCESSABLE,
    ItemAmountMismatch: _UNPROCESSABLE,
    e.Forbidden: 403,
    e.NotFound: 404,
    e.PersonNotFound: 404,
    e.Conflict: 409,
    e.AlreadyEnrolled: 409,
    e.AlreadyExists: 409,
    e.AgreementInForce: 409,
    e.RequestIdReused: 409,
    e.AlreadyReversed: 409,
    e.AlreadyCredited: 409,
    e.AlreadyPrepaid: 409,
    e.AlreadyConfirmed: 409,
    e.ConcurrentUpdate: 409,
    e.AlreadyRevoked: 409,
    e.RuleViolation: _UNPROCESSABLE,
    e.InsufficientFunds: _UNPROCESSABLE,
    e.NotEnrolled: _UNPROCESSABLE,
    e.NotSuspended: _UNPROCESSABLE,
    e.AlreadySuspended: _UNPROCESSABLE,
    e.AlreadyTerminated: _UNPROCESSABLE,
    e.AccountNotAvailable: _UNPROCESSABLE,
    e.RenewalTooLate: _UNPROCESSABLE,
    e.VoluntaryNotAllowed: _UNPROCESSABLE,
    e.AgreementNotActive: _UNPROCESSABLE,
    e.SettlementNotReversible: _UNPROCESSABLE,
    e.ClawbackExceedsFundPay: _UNPROCESSABLE,
    e.SettlementNotOfAgreement: _UNPROCESSABLE,
    e.RecoveryExceedsOutstanding: _UNPROCESSABLE,
    e.FundNotOpen: _UNPROCESSABLE,
    e.YearNotClosed: _UNPROCESSABLE,
    e.ClearingNotProposed: _UNPROCESSABLE,
    e.ClearingNotConfirmed: _UNPROCESSABLE,
    e.BudgetExceedsAgreement: _UNPROCESSABLE,
    e.NoPolicy: _UNPROCESSABLE,
    NoPolicyInForce: _UNPROCESSABLE,
    e.RecordNotFound: 404,
    e.AlreadyReleased: 409,
    e.AlreadyDisposed: 409,
    e.NotYetDue: _UNPROCESSABLE,
    e.RecordHeld: _UNPROCESSABLE,
    e.SameArchivist: _UNPROCESSABLE,
}


class HttpProblem(Exception):
    """A refusal decided by the HTTP layer itself."""

    status = 400
    code = "BAD_REQUEST"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra
        self.headers: dict[str, str] = {}


class Unauthorized(HttpProblem):
    status, code = 401, "UNAUTHORIZED"


class Forbidden(HttpProblem):
    status, code = 403, "FORBIDDEN"


class ProjectionLagging(HttpProblem):
    status, code = 503, "PROJECTION_LAGGING"


class InvalidField(HttpProblem):
    """Well-formed but implausible input (a birth date after today): 422 naming the field."""

    status, code = _UNPROCESSABLE, "VALIDATION_ERROR"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field)


class TooManyRequests(HttpProblem):
    status, code = 429, "TOO_MANY_REQUESTS"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.headers = {"Retry-After": str(retry_after)}


class ClaimRejected(HttpProblem):
    """A claim was recorded as rejected: 422 with its rejection code and settlement id."""

    status = _UNPROCESSABLE

    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(f"the claim was rejected: {code}", **extra)
        self.code = code


def status_of(error: e.DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return _UNPROCESSABLE


def problem(
    status: int, code: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = {
        "type": f"urn:yibao:problem:{code.lower().replace('_', '-')}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        **{k: v for k, v in extra.items() if v is not None},
    }
    if status == 401:
        headers = {"WWW-Authenticate": "Bearer", **(headers or {})}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, e.DomainError)
    return problem(status_of(exc), exc.code, exc.detail, field=exc.field)


def _http_problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HttpProblem)
    return problem(exc.status, exc.code, exc.detail, exc.headers, **exc.extra)


def _message(error: Any) -> str:
    """Pydantic's message; for a body that is not strict JSON, what is wrong with it."""
    if error["type"] == "json_invalid":
        return f"malformed JSON: {error.get('ctx', {}).get('error', 'not JSON')}"
    return str(error["msg"])


def _field_name(error: Any) -> str:
    """`items[0].amount` for a body error, `limit` for a query parameter, `body` for bad JSON."""
    if error["type"] == "json_invalid":
        return "body"
    name = ""
    for part in tuple(error["loc"])[1:]:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    found = list(exc.errors())
    if any(err["loc"][:1] == ("path",) for err in found):
        # `/v1/persons/lookup` is a route of its own, not a person id: GET there is a 405.
        literal = allowed_methods(request, literal_only=True)
        if literal:
            return problem(405, "METHOD_NOT_ALLOWED", "Method Not Allowed", {"Allow": literal})
        return problem(404, "NOT_FOUND", "no such record")
    # The input is never echoed: it may be personal data (a national ID).
    listed = [{"field": _field_name(err), "message": _message(err)} for err in found]
    first = listed[0] if listed else {"field": "body", "message": "malformed request"}
    detail = f"{first['field']}: {first['message']}"
    return problem(_UNPROCESSABLE, "VALIDATION_ERROR", detail, field=first["field"], errors=listed)


_STARLETTE_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE"}


def _starlette_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _STARLETTE_CODES.get(exc.status_code, "HTTP_ERROR")
    headers = {"Allow": allowed_methods(request)} if exc.status_code == 405 else None
    return problem(exc.status_code, code, str(exc.detail), headers)


def allowed_methods(request: Request, *, literal_only: bool = False) -> str:
    """The methods the published contract lists for this path. A path that is a route of its
    own (`/v1/persons/lookup`) allows only its own methods, not those of a template it also
    fits (`/v1/persons/{person_id}`)."""
    paths: dict[str, dict[str, Any]] = request.app.openapi()["paths"]
    path = request.url.path
    if path in paths:
        return ", ".join(sorted(m.upper() for m in paths[path]))
    if literal_only:
        return ""
    methods = {m.upper() for t, ms in paths.items() if _template(t).fullmatch(path) for m in ms}
    return ", ".join(sorted(methods))


@functools.lru_cache(maxsize=256)
def _template(path: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)))


def too_large() -> JSONResponse:
    return problem(413, "PAYLOAD_TOO_LARGE", f"the request body is over {MAX_BODY_BYTES} bytes")


def _query_error(_: Request, exc: Exception) -> JSONResponse:
    field = getattr(exc, "field", None)
    detail = f"{field}: {exc}" if field else str(exc)
    return problem(_UNPROCESSABLE, "VALIDATION_ERROR", detail, field=field)


# The database did not answer (refused, dropped, timed out, locked past the busy timeout):
# the request's outcome is unknown to the client, who retries (API.md: 503 with Retry-After).
DATABASE_ERRORS: tuple[type[Exception], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    es_persistence.OperationalError,
    es_persistence.InterfaceError,
)
RETRY_AFTER_S = 2


def database_unavailable() -> JSONResponse:
    return problem(
        503,
        "DATABASE_UNAVAILABLE",
        "the database is unreachable; retry the same request later",
        {"Retry-After": str(RETRY_AFTER_S)},
    )


def _database_error(_: Request, exc: Exception) -> JSONResponse:
    log.warning("the database failed a request: %s", type(exc).__qualname__)
    return database_unavailable()


def internal_error() -> JSONResponse:
    return problem(500, "INTERNAL_ERROR", "the service failed; the failure is logged")


def install(app: FastAPI) -> None:
    """Register the one mapping on the app."""
    app.add_exception_handler(e.DomainError, _domain_error)
    app.add_exception_handler(HttpProblem, _http_problem)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StarletteHTTPException, _starlette_error)
    for error in QUERY_ERRORS:
        app.add_exception_handler(error, _query_error)
    for failure in DATABASE_ERRORS:
        app.add_exception_handler(failure, _database_error)
    app.add_middleware(CatchAll, answer=internal_error)
    app.add_middleware(
        OutageGuard, watch=lambda: app.state.database_watch, answer=database_unavailable
    )
    app.add_middleware(BodyGuard, answer=too_large)
