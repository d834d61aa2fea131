"""Resident ID (居民身份证号码): validation, masking and the keyed person id.

The raw ID is personal data: no message raised here contains it, and ids derived from it are
keyed hashes (HMAC), never the ID itself.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from datetime import date

from domain.errors import ValidationFailed

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CODES = "10X98765432"
_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


class InvalidNationalId(ValidationFailed):
    """The resident ID is malformed, or does not match the declared birth date."""


def check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if not re.fullmatch(r"[0-9]{17}", first17):
        raise ValueError("the check character needs exactly 17 digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CODES[total % 11]


def validate_national_id(national_id: str, birth_date: date) -> str:
    """Return the normalised (upper-case) ID, or raise ``InvalidNationalId``."""
    normalised = national_id.strip().upper()
    if not _SHAPE.fullmatch(normalised):
        raise InvalidNationalId("national_id", "must be 17 digits and a check digit or X")
    if check_char(normalised[:17]) != normalised[17]:
        raise InvalidNationalId("national_id", "check character does not match")
    embedded = _embedded_birth_date(normalised)
    if embedded != birth_date:
        raise InvalidNationalId("birth_date", "does not match the birth date in the resident ID")
    return normalised


def _embedded_birth_date(normalised: str) -> date:
    digits = normalised[6:14]
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise InvalidNationalId("national_id", "embedded birth date is not a real date") from None


def mask_national_id(national_id: str) -> str:
    """Show only the first 4 and last 4 characters, e.g. ``3101**********123X``."""
    if len(national_id) != 18:
        raise InvalidNationalId("national_id", "must be 18 characters")
    return f"{national_id[:4]}{'*' * 10}{national_id[-4:]}"


def derive_person_id(scheme: str, national_id: str, secret: bytes) -> uuid.UUID:
    """A stable person id: HMAC-SHA256(secret, "scheme:ID"), first 16 bytes as a version-8 UUID."""
    if not secret:
        raise ValueError("the person id key must not be empty")
    message = f"{scheme}:{national_id.upper()}".encode()
    raw = bytearray(hmac.new(secret, message, hashlib.sha256).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x80  # version 8 (custom, RFC 9562)
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    return uuid.UUID(bytes=bytes(raw))
