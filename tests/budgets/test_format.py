"""The kr/tkr filters of the budget pages: Swedish formatting with non-breaking spaces."""

from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template

from apps.core.formatting import format_kronor as kronor
from apps.core.formatting import format_percent as procent
from apps.core.formatting import format_tkr as tkr
from apps.core.templatetags.formatting import belopp

NB = "\u00a0"


def test_kronor_groups_thousands():
    assert kronor(18_861_000) == f"18{NB}861{NB}000{NB}kr"


def test_kronor_small_and_negative():
    assert kronor(0) == f"0{NB}kr"
    assert kronor(-1500) == f"\u22121{NB}500{NB}kr"


def test_tkr_rounds_half_up():
    assert tkr(14_433_000) == f"14{NB}433{NB}tkr"
    assert tkr(1_500) == f"2{NB}tkr"
    assert tkr(1_499) == f"1{NB}tkr"


def test_belopp_follows_choice():
    assert belopp(2_500, "tkr") == f"3{NB}tkr"
    assert belopp(2_500, "kr") == f"2{NB}500{NB}kr"


def test_procent_uses_decimal_comma():
    assert procent(Decimal("12.3")) == f"12,3{NB}%"
    # A missing percentage prints as a dash on the budget pages.
    assert Template("{% load formatting %}{{ x|procent|default:'–' }}").render(Context({"x": None})) == "–"
