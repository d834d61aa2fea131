"""Record classes, retention periods and archive numbers (档号) of DOMAIN.md §8.

Every event is a record of one class; the class fixes the retention period, counted from
1 January of the year after the record is formed. An archive number has six parts:
scheme code – region code – year – retention code – business step – sequence,
e.g. ``R-310000-2026-D30-SETTLE-000123``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.values import SCHEME_CODES

NO_SCHEME = "X"  # records of no scheme (agreements, registers)


@dataclass(frozen=True)
class RecordClass:
    name: str
    years: int | None  # None: permanent

    @property
    def retention_code(self) -> str:
        return "P" if self.years is None else f"D{self.years}"

    def due_date(self, formed: date) -> date | None:
        """When the minimum retention ends: 1 January after forming, plus the period."""
        return None if self.years is None else date(formed.year + 1 + self.years, 1, 1)


PERSON_REGISTRATION = RecordClass("person_registration", 100)
PERSONAL_ACCOUNT = RecordClass("personal_account", 100)
PAYMENT_DETAIL = RecordClass("payment_detail", 30)
ACCOUNTING_VOUCHER = RecordClass("accounting_voucher", 30)
INSPECTION = RecordClass("inspection", 30)
AGREEMENT = RecordClass("agreement", 30)
MONTHLY_REPORT = RecordClass("monthly_report", 10)
ANNUAL_SUMMARY = RecordClass("annual_summary", None)
ARCHIVE_REGISTER = RecordClass("archive_register", None)
# An event nobody has classified yet is kept (periods are minimums) until someone does.
UNCLASSIFIED = RecordClass("unclassified", None)

CLASSES = (
    PERSON_REGISTRATION,
    PERSONAL_ACCOUNT,
    PAYMENT_DETAIL,
    ACCOUNTING_VOUCHER,
    INSPECTION,
    AGREEMENT,
    MONTHLY_REPORT,
    ANNUAL_SUMMARY,
    ARCHIVE_REGISTER,
    UNCLASSIFIED,
)

# Event type → (record class, business step).
EVENT_RECORDS: dict[str, tuple[RecordClass, str]] = {
    "InsuredPerson.Enrolled": (PERSON_REGISTRATION, "ENROLL"),
    "InsuredPerson.Suspended": (PERSON_REGISTRATION, "SUSPEND"),
    "InsuredPerson.Reinstated": (PERSON_REGISTRATION, "REINSTATE"),
    "InsuredPerson.Terminated": (PERSON_REGISTRATION, "TERMINATE"),
    "InsuredPerson.AccountCredited": (PERSONAL_ACCOUNT, "CREDIT"),
    "InsuredPerson.ClaimSettled": (PERSONAL_ACCOUNT, "CLAIM"),
    "InsuredPerson.ClaimReversed": (PERSONAL_ACCOUNT, "RESTORE"),
    "InsuredPerson.ClaimRefused": (PAYMENT_DETAIL, "REFUSE"),
    "Settlement.Settled": (PAYMENT_DETAIL, "SETTLE"),
    "Settlement.Rejected": (PAYMENT_DETAIL, "REJECT"),
    "Settlement.Reversed": (PAYMENT_DETAIL, "REVERSE"),
    "Settlement.ClawedBack": (INSPECTION, "CLAWBACK"),
    "FundAccount.Opened": (ACCOUNTING_VOUCHER, "OPEN"),
    "FundAccount.ContributionReceived": (ACCOUNTING_VOUCHER, "CONTRIBUTE"),
    "FundAccount.Disbursed": (ACCOUNTING_VOUCHER, "DISBURSE"),
    "FundAccount.RecoveryReceived": (ACCOUNTING_VOUCHER, "RECOVER"),
    "FundAccount.ClearingRecoveryReceived": (ACCOUNTING_VOUCHER, "RECOVER"),
    "Clawback.Assessed": (INSPECTION, "ASSESS"),
    "Clawback.RecoveryRecorded": (ACCOUNTING_VOUCHER, "RECOVER"),
    "Institution.Registered": (AGREEMENT, "REGISTER"),
    "Institution.AgreementAdded": (AGREEMENT, "REGISTER"),
    "InstitutionAgreement.Signed": (AGREEMENT, "SIGN"),
    "InstitutionAgreement.Renewed": (AGREEMENT, "RENEW"),
    "InstitutionAgreement.Suspended": (INSPECTION, "SUSPEND"),
    "InstitutionAgreement.Reinstated": (INSPECTION, "REINSTATE"),
    "InstitutionAgreement.Terminated": (INSPECTION, "TERMINATE"),
    "InstitutionAgreement.FlaggedForTermination": (INSPECTION, "FLAG"),
    "Budget.Issued": (AGREEMENT, "BUDGET"),
    "Budget.Adjusted": (AGREEMENT, "ADJUST"),
    "Budget.MonthPrepaid": (ACCOUNTING_VOUCHER, "PREPAY"),
    # Clearing results are annual summaries, retained permanently (DOMAIN.md §4b).
    "Budget.ClearingProposed": (ANNUAL_SUMMARY, "CLEAR"),
    "Budget.ClearingConfirmed": (ANNUAL_SUMMARY, "CLEAR"),
    "Budget.ClearingCorrected": (ANNUAL_SUMMARY, "CLEAR"),
    "Budget.OwedBack": (ANNUAL_SUMMARY, "CLEAR"),
    "Budget.RecoveryRecorded": (ACCOUNTING_VOUCHER, "RECOVER"),
    # Registers of access (调阅登记, tokens) belong with the archive office's own registers.
    "PersonalDataAccess.Read": (ARCHIVE_REGISTER, "ACCESS"),
    "ApiToken.Issued": (ARCHIVE_REGISTER, "TOKEN"),
    "ApiToken.Revoked": (ARCHIVE_REGISTER, "TOKEN"),
    # A command's receipt (a retried request done once) is a register of the office too.
    "CommandReceipt.Received": (ARCHIVE_REGISTER, "RECEIPT"),
    # Holds, appraisal opinions and disposal registers are kept permanently (DOMAIN.md §8).
    "Archive.Opened": (ARCHIVE_REGISTER, "OPEN"),
    "Archive.HoldPlaced": (ARCHIVE_REGISTER, "HOLD"),
    "Archive.HoldReleased": (ARCHIVE_REGISTER, "RELEASE"),
    "Archive.DisposalProposed": (ARCHIVE_REGISTER, "APPRAISE"),
    "Archive.DisposalApproved": (ARCHIVE_REGISTER, "DISPOSE"),
}


CLASS_NAMES = {c.name: c for c in CLASSES}


def classify(event_type: str) -> tuple[RecordClass, str]:
    known = EVENT_RECORDS.get(event_type)
    if known is not None:
        return known
    step = "".join(ch for ch in event_type.rpartition(".")[2].upper() if ch.isalnum())
    return UNCLASSIFIED, step or "EVENT"


def scheme_code(scheme: str | None) -> str:
    return SCHEME_CODES.get(scheme or "", NO_SCHEME)


def archive_number(
    scheme: str, region: str, year: int, record_class: RecordClass, step: str, sequence: int
) -> str:
    parts = (scheme, region, str(year), record_class.retention_code, step, f"{sequence:06d}")
    return "-".join(parts)
