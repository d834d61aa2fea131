"""DOMAIN.md §2: the resident ID is validated, masked, and never used raw as an id."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from domain.errors import ValidationFailed
from domain.national_id import (
    InvalidNationalId,
    check_char,
    derive_person_id,
    mask_national_id,
    validate_national_id,
)

BORN = date(1990, 3, 7)
FIRST17 = "31010119900307123"
VALID = FIRST17 + check_char(FIRST17)


def test_the_published_sample_id_has_check_character_x() -> None:
    # GB 11643-1999 sample: 11010519491231002X
    assert check_char("11010519491231002") == "X"


def test_a_valid_id_is_returned_upper_case() -> None:
    with_x = "11010519491231002x"

    assert validate_national_id(with_x, date(1949, 12, 31)) == "11010519491231002X"
    assert validate_national_id(VALID, BORN) == VALID


def test_a_wrong_check_character_is_refused_without_echoing_the_id() -> None:
    wrong = FIRST17 + ("0" if VALID[-1] != "0" else "1")

    with pytest.raises(InvalidNationalId) as refused:
        validate_national_id(wrong, BORN)

    assert refused.value.field == "national_id"
    assert FIRST17 not in str(refused.value)


@pytest.mark.parametrize(
    "bad", ["", "3101011990030712", "31010119900307123Y", "3101011990030712３4"]
)
def test_a_malformed_id_is_refused(bad: str) -> None:
    with pytest.raises(InvalidNationalId) as refused:
        validate_national_id(bad, BORN)

    assert refused.value.field == "national_id"


def test_an_embedded_date_that_is_not_a_real_date_is_refused() -> None:
    first17 = "31010119900230123"  # 30 February
    with pytest.raises(InvalidNationalId) as refused:
        validate_national_id(first17 + check_char(first17), BORN)

    assert refused.value.field == "national_id"


def test_a_declared_birth_date_that_differs_from_the_id_names_birth_date() -> None:
    with pytest.raises(InvalidNationalId) as refused:
        validate_national_id(VALID, date(1990, 3, 8))

    assert refused.value.field == "birth_date"
    assert VALID not in str(refused.value)
    assert isinstance(refused.value, ValidationFailed)  # answered 422 VALIDATION_ERROR


def test_masking_keeps_the_first_four_and_last_four_characters() -> None:
    assert mask_national_id("31010119900307123X") == "3101**********123X"


def test_the_person_id_is_a_keyed_version_8_uuid_stable_per_scheme_and_key() -> None:
    one = derive_person_id("resident", VALID, b"secret")

    assert one == derive_person_id("resident", VALID, b"secret")
    assert one != derive_person_id("employee", VALID, b"secret")
    assert one != derive_person_id("resident", VALID, b"other secret")
    assert one.version == 8
    assert one.variant == uuid.RFC_4122
    assert VALID not in str(one)


def test_the_person_id_needs_a_key() -> None:
    with pytest.raises(ValueError):
        derive_person_id("resident", VALID, b"")
