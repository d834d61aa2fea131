"""Record classes and archive numbers live in `domain/retention.py` (the disposal rules of
the application need them too); the read side imports them from here as before."""

from domain.retention import (
    ANNUAL_SUMMARY,
    ARCHIVE_REGISTER,
    CLASSES,
    EVENT_RECORDS,
    MONTHLY_REPORT,
    NO_SCHEME,
    PAYMENT_DETAIL,
    PERSON_REGISTRATION,
    UNCLASSIFIED,
    RecordClass,
    archive_number,
    classify,
    scheme_code,
)

__all__ = [
    "ANNUAL_SUMMARY",
    "ARCHIVE_REGISTER",
    "CLASSES",
    "EVENT_RECORDS",
    "MONTHLY_REPORT",
    "NO_SCHEME",
    "PAYMENT_DETAIL",
    "PERSON_REGISTRATION",
    "UNCLASSIFIED",
    "RecordClass",
    "archive_number",
    "classify",
    "scheme_code",
]
