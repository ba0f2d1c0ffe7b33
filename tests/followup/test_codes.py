"""Participant codes must not identify anyone."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.followup.codes import luhn_ok, validate_code


@pytest.mark.parametrize(
    "code",
    [
        "811228-9874",  # personnummer, 10 digits with dash
        "8112289874",
        "19811228-9874",  # 12 digits
        "198112289874",
        "811228+9874",  # over 100 years old
        "701063-2391",  # samordningsnummer (day + 60)
        "SC 811228-9874",  # inside a longer code
    ],
)
def test_validate_code_refuses_personnummer(code):
    with pytest.raises(ValidationError, match="personnummer"):
        validate_code(code)


@pytest.mark.parametrize("code", ["anna@example.se", "anna(at)example.se"])
def test_validate_code_refuses_email(code):
    with pytest.raises(ValidationError, match="e-postadress"):
        validate_code(code)


@pytest.mark.parametrize("code", ["070-123 45 67", "+46701234567", "0701234567"])
def test_validate_code_refuses_phone(code):
    with pytest.raises(ValidationError, match="telefonnummer"):
        validate_code(code)


@pytest.mark.parametrize("code", ["SC-014", "2023-07", "A1", "N-2023-0142", "8112289875"])
def test_validate_code_accepts_plain_codes(code):
    validate_code(code)


def test_validate_code_refuses_odd_characters():
    with pytest.raises(ValidationError, match="bara innehålla"):
        validate_code("<b>x</b>")


def test_luhn_ok_checks_the_control_digit():
    assert luhn_ok("8112289874")
    assert not luhn_ok("8112289875")
