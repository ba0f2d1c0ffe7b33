"""One Swedish formatter for pages and PDFs: numbers, kronor, tkr, percent and dates."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from apps.core.formatting import (
    format_amount,
    format_date,
    format_kronor,
    format_number,
    format_percent,
    format_tkr,
)

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (18_861_000, f"18{NB}861{NB}000"),
        (Decimal("1234567.25"), f"1{NB}234{NB}567,25"),
        (Decimal("2.50"), "2,5"),
        (Decimal("100"), "100"),
        (-1500, f"\u22121{NB}500"),
        (0, "0"),
        ("12", "12"),
    ],
)
def test_format_number_swedish(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize("empty", [None, "", "inte ett tal"])
def test_format_number_empty_is_empty(empty):
    assert format_number(empty) == ""
    assert format_kronor(empty) == ""
    assert format_tkr(empty) == ""
    assert format_percent(empty) == ""


def test_format_kronor_and_tkr_same_figure():
    assert format_kronor(18_861_000) == f"18{NB}861{NB}000{NB}kr"
    assert format_tkr(14_433_000) == f"14{NB}433{NB}tkr"
    assert format_tkr(1_500) == f"2{NB}tkr"
    assert format_tkr(-1_500) == f"\u22122{NB}tkr"


def test_format_amount_follows_unit():
    assert format_amount(2_500, "tkr") == f"3{NB}tkr"
    assert format_amount(2_500, "kr") == f"2{NB}500{NB}kr"


def test_format_percent_decimal_comma():
    assert format_percent(Decimal("48.1")) == f"48,1{NB}%"
    assert format_percent(Decimal("-10.0")) == f"\u221210{NB}%"


def test_format_date_from_date_and_iso_string():
    assert format_date(datetime.date(2026, 3, 15)) == "15 mars 2026"
    assert format_date("2025-11-30") == "30 november 2025"
    assert format_date(None) == ""


def test_template_filters_print_like_the_functions():
    html = Template(
        "{% load formatting %}{{ a|kronor }}|{{ a|tkr }}|{{ a|belopp:'tkr' }}|{{ p|procent }}|{{ f|tal }}"
    ).render(Context({"a": 14_433_000, "p": Decimal("48.1"), "f": Decimal("2.50")}))
    assert html == f"14{NB}433{NB}000{NB}kr|14{NB}433{NB}tkr|14{NB}433{NB}tkr|48,1{NB}%|2,5"
