"""The typed cell parsers: Swedish input, bounded work, Swedish errors."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

import pytest

from apps.core.tabular import (
    BIGINT_MAX,
    CellError,
    TabularError,
    cell_text,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("18 861 000", 18_861_000),
        ("18\u00a0861\u00a0000", 18_861_000),
        ("1\u202f234", 1234),
        ("-5", -5),
        ("−5", -5),
        ("2026,0", 2026),
        ("2026.0", 2026),
        (" 42 ", 42),
        (2026, 2026),
        (2026.0, 2026),
        (Decimal("12"), 12),
        ("1e3", 1000),
        (str(BIGINT_MAX), BIGINT_MAX),
    ],
)
def test_parse_int_reads_swedish_forms(cell, expected):
    assert parse_int(cell) == expected


@pytest.mark.parametrize("cell", [None, "", "   ", "\u00a0"])
def test_parse_int_empty_cell_is_none(cell):
    assert parse_int(cell) is None


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("abc", "”abc” är inte ett heltal."),
        ("1,5", "”1,5” är inte ett heltal."),
        (1.5, "”1.5” är inte ett heltal."),
        ("1.234,5", "”1.234,5” är inte ett heltal."),
        ("1 2 3 a", "”1 2 3 a” är inte ett heltal."),
        (True, "Ange ett heltal, inte SANT."),
        (float("inf"), "”inf” är inte ett heltal."),
        (datetime.date(2026, 1, 1), "”2026-01-01” är ett datum, inte ett heltal."),
    ],
)
def test_parse_int_refuses_what_is_not_a_whole_number(cell, message):
    with pytest.raises(CellError) as exc:
        parse_int(cell)
    assert exc.value.message == message


@pytest.mark.parametrize("cell", ["1e30", "9223372036854775808", "1E+999999", 10**30, 1e300, "9" * 40])
def test_parse_int_beyond_bigint_is_too_large(cell):
    with pytest.raises(CellError) as exc:
        parse_int(cell)
    assert "är för stort: högst 9\u00a0223\u00a0372\u00a0036\u00a0854\u00a0775\u00a0807." in exc.value.message


def test_parse_int_below_the_bound_names_the_bound():
    with pytest.raises(CellError) as exc:
        parse_int("-5", min_value=0, max_value=100)
    assert exc.value.message == "”-5” är för litet: minst 0."


def test_parse_int_above_the_bound_names_the_bound():
    with pytest.raises(CellError) as exc:
        parse_int("32 768", min_value=0, max_value=32_767)
    assert exc.value.message == "”32 768” är för stort: högst 32\u00a0767."


def test_parse_int_long_text_is_refused_with_a_short_message():
    with pytest.raises(CellError) as exc:
        parse_int("1" * 5000)
    assert len(exc.value.message) < 80


def test_parse_int_huge_exponents_cost_no_time():
    start = time.process_time()
    for text in ("1E+999999", "1e999999999", "-1E+999999", "1E-999999"):
        with pytest.raises(CellError):
            parse_int(text)
    with pytest.raises(CellError):
        parse_int(Decimal("1E+999999"))
    assert time.process_time() - start < 0.1


def test_parse_int_huge_python_int_is_refused_without_converting_it():
    with pytest.raises(CellError) as exc:
        parse_int(10**5000)
    assert exc.value.message == "Talet är för stort."


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1 234,50", Decimal("1234.50")),
        ("1.5", Decimal("1.5")),
        ("−0,25", Decimal("-0.25")),
        (",5", Decimal("0.5")),
        (1.1, Decimal("1.1")),
        (3, Decimal(3)),
        ("1e-3", Decimal("0.001")),
    ],
)
def test_parse_decimal_reads_swedish_forms(cell, expected):
    assert parse_decimal(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("x", "”x” är inte ett tal."),
        ("12x", "”12x” är inte ett tal."),
        ("NaN", "”NaN” är inte ett tal."),
        ("Infinity", "”Infinity” är inte ett tal."),
        (Decimal("NaN"), "”NaN” är inte ett tal."),
        ("1,2,3", "”1,2,3” är inte ett tal."),
    ],
)
def test_parse_decimal_refuses_what_is_not_a_number(cell, message):
    with pytest.raises(CellError) as exc:
        parse_decimal(cell)
    assert exc.value.message == message


@pytest.mark.parametrize("cell", ["1e30", "1E+999999", "-1e19", 1e300])
def test_parse_decimal_absurd_magnitudes_are_refused(cell):
    with pytest.raises(CellError) as exc:
        parse_decimal(cell)
    assert "är för stort" in exc.value.message or "är för litet" in exc.value.message


def test_parse_decimal_bounds_name_the_bound_the_swedish_way():
    with pytest.raises(CellError) as exc:
        parse_decimal("100,5", min_value=0, max_value=Decimal("99.99"))
    assert exc.value.message == "”100,5” är för stort: högst 99,99."


def test_parse_decimal_too_many_places_is_refused():
    with pytest.raises(CellError) as exc:
        parse_decimal("0,125", max_places=2)
    assert exc.value.message == "”0,125” har för många decimaler: högst 2."


def test_parse_decimal_trailing_zeros_are_not_places():
    assert parse_decimal("1,50000", max_places=2) == Decimal("1.50000")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-03-01", datetime.date(2026, 3, 1)),
        ("2026-03-01 00:00:00", datetime.date(2026, 3, 1)),
        (datetime.datetime(2026, 3, 1, 12, 30), datetime.date(2026, 3, 1)),
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1)),
        ("", None),
    ],
)
def test_parse_date_reads_iso_dates_and_date_cells(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("1 mars", "”1 mars” är inte ett datum. Skriv det som ÅÅÅÅ-MM-DD."),
        ("20260301", "”20260301” är inte ett datum. Skriv det som ÅÅÅÅ-MM-DD."),
        ("2026-02-30", "”2026-02-30” är inget giltigt datum."),
        (45000, "”45000” är inte ett datum. Skriv det som ÅÅÅÅ-MM-DD."),
        ("２０２６-03-01", "”２０２６-03-01” är inte ett datum. Skriv det som ÅÅÅÅ-MM-DD."),
    ],
)
def test_parse_date_refuses_other_forms(cell, message):
    with pytest.raises(CellError) as exc:
        parse_date(cell)
    assert exc.value.message == message


def test_parse_date_bounds():
    with pytest.raises(CellError) as exc:
        parse_date("1899-12-31", min_value=datetime.date(1900, 1, 1))
    assert exc.value.message == "1899-12-31 är för tidigt: tidigast 1900-01-01."


def test_parse_text_trims_and_undoes_the_formula_escape():
    assert parse_text("  '=SUMMA(A1)  ") == "=SUMMA(A1)"
    assert parse_text("'vanlig") == "'vanlig"
    assert parse_text(2026.0) == "2026"
    assert parse_text(None) == ""


def test_parse_text_too_long_is_refused():
    with pytest.raises(CellError) as exc:
        parse_text("x" * 201, max_length=200)
    assert exc.value.message == "Texten är för lång: 201 tecken, högst 200."


def test_cell_error_is_a_value_error_and_a_tabular_error():
    assert issubclass(CellError, TabularError)
    assert issubclass(CellError, ValueError)


def test_cell_text_of_excel_values():
    assert cell_text(True) == "SANT"
    assert cell_text(datetime.datetime(2026, 3, 1)) == "2026-03-01"
    assert cell_text(0.1) == "0.1"
