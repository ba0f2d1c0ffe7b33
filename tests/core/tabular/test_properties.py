"""Property-based tests: any input to any parser yields a value or a Swedish TabularError, quickly.

Each test draws 200 examples (TABULAR_FUZZ_EXAMPLES=5000 for a longer hunt) with a deadline
per example; the database of found examples is off, so nothing is written to the working tree.
"""

from __future__ import annotations

import datetime
import io
import os
import zipfile
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.budgets.utfall.parsing import parse_sie4
from apps.core.tabular import (
    BIGINT_MAX,
    BIGINT_MIN,
    Table,
    TabularError,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    read_table,
)

from . import hostile

fuzz = settings(
    max_examples=int(os.environ.get("TABULAR_FUZZ_EXAMPLES", "200")),
    deadline=datetime.timedelta(seconds=1),
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def is_swedish_message(message: str) -> bool:
    """Our messages are whole Swedish sentences: they end with a full stop and name no exception."""
    return message.endswith(".") and "Error" not in message and "Traceback" not in message


def outcome(read, *args, **kwargs):
    """The table read, or the message of the TabularError; anything else fails the test."""
    try:
        return read(*args, **kwargs)
    except TabularError as exc:
        assert is_swedish_message(exc.message), exc.message
        return exc.message


# --- CSV ------------------------------------------------------------------------------------

CSV_TEXT = st.lists(
    st.sampled_from(
        [";", ",", "\t", '"', "\n", "\r", " ", "x", "1", "Å", "€", "-", "=", "'", "\x00", "\ufeff", "Namn"]
    ),
    max_size=150,
).map("".join)


@fuzz
@given(st.binary(max_size=2_000))
def test_csv_any_bytes_is_a_table_or_a_message(content):
    result = outcome(read_table, content, filename="fil.csv", max_rows=50, max_columns=10)
    if isinstance(result, Table):
        assert len(result.rows) <= 50
        assert all(len(row.cells) <= 10 for row in result.rows)


@fuzz
@given(CSV_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_csv_any_text_in_any_encoding_is_a_table_or_a_message(text, encoding):
    content = text.encode(encoding, errors="replace")
    outcome(read_table, content, filename="fil.csv", max_rows=20, max_columns=5)


# --- XLSX -----------------------------------------------------------------------------------

XML_PIECES = st.sampled_from(
    [
        "<row>",
        "</row>",
        '<row r="3">',
        '<row r="99999999">',
        "<c>",
        '<c t="s">',
        '<c t="inlineStr">',
        '<c r="XFD1">',
        '<c r="A1" s="9">',
        '<c t="b">',
        '<c t="d">',
        '<c t="e">',
        "</c>",
        "<v>",
        "</v>",
        "<is><t>",
        "</t></is>",
        "1E+999999",
        "1e30",
        "0",
        "-1.5",
        "x",
        "&amp;",
        "&lol;",
        "<![CDATA[x]]>",
        "<!-- c -->",
        "<?pi x?>",
        '<!DOCTYPE x [<!ENTITY e "e">]>',
        "</sheetData>",
        "<sheetData>",
        "<rPh><t>",
        "</t></rPh>",
        "\x00",
        "é",
    ]
)


@fuzz
@given(st.lists(XML_PIECES, max_size=60))
def test_xlsx_any_sheet_xml_is_a_table_or_a_message(pieces):
    content = hostile.xlsx(
        hostile.sheet("".join(pieces)), shared=f'<sst xmlns="{hostile.MAIN}"><si><t>a</t></si></sst>'
    )
    outcome(read_table, content, filename="fil.xlsx", max_rows=20, max_columns=5)


@fuzz
@given(st.binary(max_size=2_000))
def test_xlsx_any_bytes_after_the_zip_signature_is_a_message(content):
    outcome(read_table, b"PK\x03\x04" + content, filename="fil.xlsx")


VALID_XLSX = hostile.xlsx(hostile.members_sheet(("Åre", "Kommun"), ("Örebro", "Region")), level=0)


@fuzz
@given(st.lists(st.tuples(st.integers(0, len(VALID_XLSX) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_xlsx_any_corruption_of_a_real_file_is_a_table_or_a_message(flips):
    content = bytearray(VALID_XLSX)
    for position, value in flips:
        content[position] = value
    outcome(read_table, bytes(content), filename="fil.xlsx", max_rows=20, max_columns=5)


@fuzz
@given(
    st.dictionaries(
        st.sampled_from(["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "_rels/.rels", "xl/styles.xml"]),
        st.binary(max_size=300),
        min_size=1,
    )
)
def test_xlsx_any_broken_workbook_part_is_a_message_or_a_table(parts):
    source = zipfile.ZipFile(io.BytesIO(VALID_XLSX))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            archive.writestr(info.filename, parts.get(info.filename, source.read(info)))
        for name, data in parts.items():
            if name not in source.NameToInfo:
                archive.writestr(name, data)
    outcome(read_table, out.getvalue(), filename="fil.xlsx")


# --- SIE4 -----------------------------------------------------------------------------------

SIE_LINE = st.one_of(
    st.builds(
        " ".join,
        st.lists(
            st.sampled_from(
                [
                    "#TRANS",
                    "#PSALDO",
                    "#VER",
                    "#RAR",
                    "#KONTO",
                    "#SIETYP",
                    "0",
                    "5010",
                    "²010",
                    "202301",
                    "2023²1",
                    "20230131",
                    "{}",
                    '{1 "x"}',
                    "1E+999999",
                    "-12.50",
                    '"text"',
                    "{",
                    "}",
                    "9" * 50,
                ]
            ),
            max_size=8,
        ),
    ),
    st.text(max_size=60),
)


@fuzz
@given(st.binary(max_size=2_000))
def test_sie_any_bytes_is_entries_or_messages(content):
    result = parse_sie4(content, year=2023)
    assert result.entries or result.has_errors
    assert all(is_swedish_message(message) for message in result.file_errors)
    assert all(is_swedish_message(message) for _, message in result.errors)


@fuzz
@given(st.lists(SIE_LINE, max_size=40))
def test_sie_any_lines_after_the_header_are_entries_or_line_errors(lines):
    content = hostile.sie(*lines)
    result = parse_sie4(content, year=2023)
    assert all(is_swedish_message(message) for _, message in result.errors)
    for entry in result.entries:
        assert 3000 <= entry.account < 10000
        assert 1 <= entry.month <= 12
        assert abs(entry.amount) <= 10**12


# --- Cells ----------------------------------------------------------------------------------

CELLS = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.from_regex(r"\A[-+−]?[0-9 \u00a0]{0,25}([.,][0-9]{0,8})?([eE][-+]?[0-9]{1,8})?\Z"),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)


@fuzz
@given(CELLS, st.integers(BIGINT_MIN, BIGINT_MAX), st.integers(BIGINT_MIN, BIGINT_MAX))
def test_parse_int_is_an_int_within_bounds_or_a_message(cell, low, high):
    value = outcome(parse_int, cell, min_value=min(low, high), max_value=max(low, high))
    if isinstance(value, int):
        assert min(low, high) <= value <= max(low, high)


@fuzz
@given(CELLS, st.integers(0, 12))
def test_parse_decimal_is_a_bounded_decimal_or_a_message(cell, places):
    value = outcome(parse_decimal, cell, max_places=places)
    if isinstance(value, Decimal):
        assert value.is_finite()
        assert abs(value) <= Decimal(10) ** 18


@fuzz
@given(CELLS)
def test_parse_date_is_a_date_or_a_message(cell):
    value = outcome(parse_date, cell)
    assert value is None or isinstance(value, datetime.date | str)


@fuzz
@given(CELLS, st.integers(0, 100))
def test_parse_text_is_short_enough_or_a_message(cell, limit):
    value = outcome(parse_text, cell, max_length=limit)
    assert len(value) <= max(limit, 200)
