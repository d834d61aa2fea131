"""The one tree of business refusals, each with a stable machine `code`.

    DomainError
    ├── ValidationFailed          VALIDATION_ERROR (names the field)
    ├── Forbidden                 FORBIDDEN (an institution acting on another's records)
    ├── NotFound                  NOT_FOUND
    │   ├── PersonNotFound        PERSON_NOT_FOUND
    │   └── RecordNotFound        UNKNOWN_RECORD (a disposal names a record that does not exist)
    ├── Conflict                  (the request clashes with what is already recorded)
    │   ├── AlreadyEnrolled       ALREADY_ENROLLED
    │   ├── AlreadyExists         ALREADY_EXISTS (fund, budget)
    │   ├── AgreementInForce      AGREEMENT_IN_FORCE
    │   ├── RequestIdReused       REQUEST_ID_REUSED
    │   ├── AlreadyReversed       ALREADY_REVERSED
    │   ├── AlreadyCredited       ALREADY_CREDITED
    │   ├── AlreadyPrepaid        ALREADY_PREPAID
    │   ├── AlreadyConfirmed      ALREADY_CONFIRMED
    │   ├── AlreadyRevoked        ALREADY_REVOKED
    │   ├── AlreadyReleased       ALREADY_RELEASED (a hold)
    │   ├── AlreadyDisposed       ALREADY_DISPOSED
    │   └── ConcurrentUpdate      CONCURRENT_UPDATE (retries exhausted)
    └── RuleViolation             (well-formed, but the rules refuse it)
        ├── InsufficientFunds     INSUFFICIENT_FUNDS
        ├── NotYetDue             NOT_YET_DUE (retention not over, or permanent)
        ├── RecordHeld            RECORD_HELD (under a hold)
        ├── SameArchivist         SAME_ARCHIVIST (the proposer may not approve)
        └── <one class per rule>  e.g. RENEWAL_TOO_LATE, VOLUNTARY_NOT_ALLOWED

Claim rejections (AGREEMENT_NOT_IN_FORCE, PERSON_SUSPENDED, …) are not exceptions: a rejected
claim is a recorded outcome. `interfaces/http/errors.py` maps this tree to HTTP once.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "DOMAIN_ERROR"
    field: str | None = None

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.__doc__ or self.code)
        self.detail = detail or (self.__doc__ or self.code).strip()


class ValidationFailed(DomainError):
    """The input is malformed."""

    code = "VALIDATION_ERROR"

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field


class MissingAuditContext(DomainError):
    """An event was triggered outside a command's audit context (a programming error)."""

    code = "MISSING_AUDIT_CONTEXT"


class Forbidden(DomainError):
    """The actor may not act on this record."""

    code = "FORBIDDEN"


class NotFound(DomainError):
    """No such record."""

    code = "NOT_FOUND"


class PersonNotFound(NotFound):
    """No enrollment matches."""

    code = "PERSON_NOT_FOUND"


class Conflict(DomainError):
    """The request clashes with what is already recorded."""

    code = "CONFLICT"


class AlreadyEnrolled(Conflict):
    """This person is already enrolled in this scheme."""

    code = "ALREADY_ENROLLED"


class AlreadyExists(Conflict):
    """A record with this natural key already exists."""

    code = "ALREADY_EXISTS"


class AgreementInForce(Conflict):
    """The institution already has an agreement in force."""

    code = "AGREEMENT_IN_FORCE"


class RequestIdReused(Conflict):
    """This request id was already used with a different body."""

    code = "REQUEST_ID_REUSED"


class AlreadyReversed(Conflict):
    """The settlement was already reversed."""

    code = "ALREADY_REVERSED"


class AlreadyCredited(Conflict):
    """The personal account was already credited for this period."""

    code = "ALREADY_CREDITED"


class AlreadyPrepaid(Conflict):
    """This month was already prepaid."""

    code = "ALREADY_PREPAID"


class AlreadyConfirmed(Conflict):
    """The clearing was already confirmed."""

    code = "ALREADY_CONFIRMED"


class AlreadyRevoked(Conflict):
    """The token was already revoked."""

    code = "ALREADY_REVOKED"


class ConcurrentUpdate(Conflict):
    """Too many concurrent changes to the same record; retry."""

    code = "CONCURRENT_UPDATE"


class RuleViolation(DomainError):
    """The request is well-formed but the rules refuse it."""

    code = "RULE_VIOLATION"


class InsufficientFunds(RuleViolation):
    """The fund's balance does not cover the amount."""

    code = "INSUFFICIENT_FUNDS"


class NotEnrolled(RuleViolation):
    """The person is not enrolled on that date."""

    code = "PERSON_NOT_ENROLLED"


class NotSuspended(RuleViolation):
    """There is no suspension to end."""

    code = "NOT_SUSPENDED"


class AlreadySuspended(RuleViolation):
    """A suspension already covers that date."""

    code = "ALREADY_SUSPENDED"


class AlreadyTerminated(RuleViolation):
    """The record was already terminated."""

    code = "ALREADY_TERMINATED"


class AccountNotAvailable(RuleViolation):
    """Personal accounts exist in the employee scheme only."""

    code = "ACCOUNT_NOT_AVAILABLE"


class RenewalTooLate(RuleViolation):
    """Renewal must be requested at least the notice period before the term ends."""

    code = "RENEWAL_TOO_LATE"


class VoluntaryNotAllowed(RuleViolation):
    """Public institutions may not suspend or terminate their agreement voluntarily."""

    code = "VOLUNTARY_NOT_ALLOWED"


class AgreementNotActive(RuleViolation):
    """The agreement has ended."""

    code = "AGREEMENT_NOT_IN_FORCE"


class SettlementNotReversible(RuleViolation):
    """Only a settled (not rejected, not clawed back) claim can be reversed."""

    code = "NOT_REVERSIBLE"


class ClawbackExceedsFundPay(RuleViolation):
    """A clawback may not exceed the fund pay still unclawed on the named settlements."""

    code = "CLAWBACK_EXCEEDS_FUND_PAY"


class SettlementNotOfAgreement(RuleViolation):
    """The named settlement was not made under this agreement's institution."""

    code = "SETTLEMENT_NOT_OF_AGREEMENT"


class RecoveryExceedsOutstanding(RuleViolation):
    """The recovery is larger than what is still owed."""

    code = "RECOVERY_EXCEEDS_OUTSTANDING"


class FundNotOpen(RuleViolation):
    """No fund account is open for that scheme, layer and region."""

    code = "FUND_NOT_OPEN"


class YearNotClosed(RuleViolation):
    """The budget year has not ended yet."""

    code = "YEAR_NOT_CLOSED"


class ClearingNotProposed(RuleViolation):
    """No clearing proposal exists yet."""

    code = "CLEARING_NOT_PROPOSED"


class ClearingNotConfirmed(RuleViolation):
    """Only a confirmed clearing can be corrected."""

    code = "CLEARING_NOT_CONFIRMED"


class BudgetExceedsAgreement(RuleViolation):
    """The budgets of one agreement and year would exceed its annual budget."""

    code = "BUDGET_EXCEEDS_AGREEMENT"
    field = "amount"


class NoPolicy(RuleViolation):
    """No benefit policy is in force on the service date."""

    code = "NO_POLICY_IN_FORCE"


class RecordNotFound(NotFound):
    """A disposal names a record that does not exist."""

    code = "UNKNOWN_RECORD"


class AlreadyReleased(Conflict):
    """The hold was released already."""

    code = "ALREADY_RELEASED"


class AlreadyDisposed(Conflict):
    """The records were disposed of already."""

    code = "ALREADY_DISPOSED"


class NotYetDue(RuleViolation):
    """The record's retention period is not over (or it is kept permanently)."""

    code = "NOT_YET_DUE"


class RecordHeld(RuleViolation):
    """The record is under a hold (封存) and cannot be disposed of."""

    code = "RECORD_HELD"


class SameArchivist(RuleViolation):
    """A disposal is approved by a different archivist than the one who proposed it."""

    code = "SAME_ARCHIVIST"


def all_error_classes() -> list[type[DomainError]]:
    """Every class of the tree (the HTTP mapping's meta-test walks it)."""
    found: list[type[DomainError]] = []
    pending: list[type[DomainError]] = [DomainError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found
