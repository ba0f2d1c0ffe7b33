"""Participant codes must not identify anyone: refuse personnummer, samordningsnummer,
e-mail addresses and phone numbers (the Finsam act gives a förbund no ground to hold them)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

ALLOWED = re.compile(r"^[0-9A-Za-zÅÄÖåäöÉé_.\- ]+$")
# 10 or 12 digits, optionally with a dash or plus before the last four (YYMMDD-NNNC, YYYYMMDDNNNC).
PERSONNUMMER = re.compile(r"(?<!\d)(\d{2})?(\d{2})(\d{2})(\d{2})[-+]?(\d{4})(?!\d)")
EMAIL = re.compile(r"@|\[at\]|\(at\)", re.IGNORECASE)
# A Swedish phone number: +46 or 0, then at least seven more digits (spaces and dashes ignored).
PHONE = re.compile(r"(?:\+46|(?<!\d)0)\d{7,}")

EXPLANATION = "Koden får inte gå att koppla till en person. Välj en egen löpande kod, till exempel SC-014."


def luhn_ok(digits: str) -> bool:
    """The Luhn check digit of a 10-digit personnummer (YYMMDDNNNC) holds."""
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def looks_like_personnummer(text: str) -> bool:
    """True when ``text`` contains a valid-looking personnummer or samordningsnummer."""
    for match in PERSONNUMMER.finditer(text):
        _century, yy, mm, dd, tail = match.groups()
        month, day = int(mm), int(dd)
        if not 1 <= month <= 12:
            continue
        # A samordningsnummer adds 60 to the day of birth.
        if not (1 <= day <= 31 or 61 <= day <= 91):
            continue
        if luhn_ok(f"{yy}{mm}{dd}{tail}"):
            return True
    return False


def looks_like_phone(text: str) -> bool:
    """True when ``text`` contains something that reads as a Swedish phone number."""
    return bool(PHONE.search(re.sub(r"[\s\-()]", "", text)))


def validate_code(value: str) -> None:
    """Refuse a participant code that could identify a person, with the reason in Swedish."""
    text = (value or "").strip()
    if EMAIL.search(text):
        raise ValidationError(f"Koden ser ut som en e-postadress. {EXPLANATION}", code="email")
    if looks_like_personnummer(text):
        raise ValidationError(
            f"Koden ser ut som ett personnummer eller samordningsnummer. {EXPLANATION}", code="personnummer"
        )
    if looks_like_phone(text):
        raise ValidationError(f"Koden ser ut som ett telefonnummer. {EXPLANATION}", code="phone")
    if not ALLOWED.match(text):
        raise ValidationError(
            "Koden får bara innehålla bokstäver, siffror, mellanslag, punkt, bindestreck och understreck.",
            code="chars",
        )
