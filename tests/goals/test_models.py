"""The target of a delmål as a plan prints it (pure: no queries)."""

from decimal import Decimal

import pytest

from apps.goals.models import Comparator, Delmal, TargetUnit, format_number


def _delmal(**fields):
    return Delmal(text="x", **fields)


def test_target_display_minst_percent():
    delmal = _delmal(
        target_comparator=Comparator.MINST, target_value=Decimal("70.00"), target_unit=TargetUnit.PERCENT
    )
    assert delmal.target_display == "minst 70 %"


def test_target_symbol_minst_steps():
    delmal = _delmal(
        target_comparator=Comparator.MINST, target_value=Decimal("4"), target_unit=TargetUnit.STEG
    )
    assert delmal.target_symbol == "≥ 4 steg"


def test_target_display_oka_compared_with_year():
    delmal = _delmal(target_comparator=Comparator.OKA, baseline_year=2022)
    assert delmal.target_display == "öka jämfört med 2022"


def test_target_display_minska_with_baseline_value():
    delmal = _delmal(
        target_comparator=Comparator.MINSKA,
        baseline_year=2022,
        baseline_value=Decimal("4320500"),
        target_unit=TargetUnit.KR,
    )
    assert delmal.target_display == "minska jämfört med 2022 (4\u00a0320\u00a0500 kr)"


def test_target_display_hogst_kronor_with_thousands_separator():
    delmal = _delmal(
        target_comparator=Comparator.HOGST, target_value=Decimal("18861000"), target_unit=TargetUnit.KR
    )
    assert delmal.target_display == "högst 18\u00a0861\u00a0000 kr"


def test_target_symbol_hogst_decimal_with_comma():
    delmal = _delmal(
        target_comparator=Comparator.HOGST, target_value=Decimal("4.50"), target_unit=TargetUnit.STEG
    )
    assert delmal.target_symbol == "≤ 4,5 steg"


def test_target_display_lika_med_free_text_unit():
    delmal = _delmal(
        target_comparator=Comparator.LIKA,
        target_value=Decimal("1"),
        target_unit=TargetUnit.ANNAT,
        target_unit_text="föreläsning",
    )
    assert delmal.target_display == "lika med 1 föreläsning"


def test_target_display_antal_written_as_st():
    delmal = _delmal(
        target_comparator=Comparator.MINST, target_value=Decimal("900"), target_unit=TargetUnit.ANTAL
    )
    assert delmal.target_display == "minst 900 st"


def test_target_display_empty_without_comparator():
    assert _delmal().target_display == ""


def test_target_symbol_words_for_oka():
    delmal = _delmal(target_comparator=Comparator.OKA, baseline_year=2022)
    assert delmal.target_symbol == "öka jämfört med 2022"


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("0.5"), "0,5"), (Decimal("1234567.25"), "1\u00a0234\u00a0567,25"), (12, "12")],
)
def test_format_number_swedish(value, text):
    assert format_number(value) == text
