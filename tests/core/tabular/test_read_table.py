"""read_table on ordinary CSV and XLSX files: what it returns, and the caps that any file meets."""

from __future__ import annotations

import codecs
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.tabular import TabularError, detect_format, read_table

from . import hostile


def xlsx_bytes(rows, *, sheets=1, active=0):
    book = openpyxl.Workbook()
    for index in range(1, sheets):
        book.create_sheet(f"Blad{index + 1}")
    for number, sheet in enumerate(book.worksheets):
        for row in rows:
            sheet.append([f"{cell} {number}" if number and isinstance(cell, str) else cell for cell in row])
    book.active = active
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def error_of(content, **kwargs) -> str:
    with pytest.raises(TabularError) as exc:
        read_table(content, **kwargs)
    return exc.value.message


# --- CSV ------------------------------------------------------------------------------------


def test_csv_semicolons_with_bom_and_row_numbers():
    table = read_table("\ufeffNamn;Typ\nÅre;Kommun\n\nÖrebro;Region\n".encode(), filename="m.csv")
    assert table.headers == ["Namn", "Typ"]
    assert [(row.number, row.get("Namn"), row["Typ"]) for row in table] == [
        (2, "Åre", "Kommun"),
        (4, "Örebro", "Region"),
    ]
    assert table.format == "csv"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_delimiter_is_the_one_the_header_uses(delimiter):
    content = (
        delimiter.join(["Konto", "År", "Belopp"]) + "\n5010" + delimiter + "2023" + delimiter + '"1 000,50"\n'
    )
    table = read_table(content.encode(), filename="u.csv")
    assert table.rows[0].as_dict() == {"Konto": "5010", "År": "2023", "Belopp": "1 000,50"}


def test_csv_quoted_cells_may_hold_newlines_and_the_row_number_follows_records():
    table = read_table(b'Namn;Beskrivning\nA;"rad ett\nrad tv\xc3\xa5"\nB;x\n', filename="i.csv")
    assert [row.number for row in table] == [2, 3]
    assert table.rows[0]["Beskrivning"] == "rad ett\nrad två"


def test_csv_utf16_with_bom_from_excel_unicode_text():
    content = codecs.BOM_UTF16_LE + "Namn\tTyp\nÅre\tKommun\n".encode("utf-16-le")
    assert read_table(content, filename="m.txt").column("Namn") == ["Åre"]


def test_csv_not_utf8_asks_for_csv_utf8():
    message = error_of("Namn;Typ\nÅre;Kommun".encode("latin-1"), filename="m.csv")
    assert "UTF-8" in message


def test_csv_binary_content_is_refused():
    assert "binära tecken" in error_of(b"Namn;Typ\n\x00\x01\x02", filename="m.csv")


def test_csv_missing_columns_are_named():
    message = error_of(b"Namn\nX\n", filename="m.csv", columns=("Namn", "Typ", "År"))
    assert message == "Filen saknar kolumnerna ”Typ”, ”År”. Den första raden ska vara rubrikerna."


def test_csv_duplicate_header_is_refused():
    assert (
        error_of(b"Namn;Namn\nA;B\n", filename="m.csv") == "Kolumnen ”Namn” finns två gånger i rubrikraden."
    )


def test_csv_trailing_empty_columns_are_ignored():
    table = read_table(b"Namn;Typ;;;\nA;Kommun;;;\n", filename="m.csv")
    assert table.headers == ["Namn", "Typ"]
    assert table.rows[0].cells == ("A", "Kommun")


def test_csv_more_rows_than_the_cap_is_refused():
    content = b"Namn\n" + b"x\n" * 11
    assert (
        error_of(content, filename="m.csv", max_rows=10)
        == "Filen har fler än 10 rader. Dela upp den i flera filer."
    )


def test_csv_exactly_the_cap_is_read():
    assert len(read_table(b"Namn\n" + b"x\n" * 10, filename="m.csv", max_rows=10)) == 10


def test_csv_more_columns_than_the_cap_is_refused():
    content = (";".join(f"K{i}" for i in range(60)) + "\n").encode()
    assert "fler än 50 kolumner" in error_of(content, filename="m.csv")


def test_csv_cell_longer_than_excel_allows_is_refused():
    content = b'Namn\n"' + b"x" * 40_000 + b'"\n'
    assert "mer än 32\u00a0767 tecken" in error_of(content, filename="m.csv")


def test_csv_unterminated_quote_is_a_message():
    content = b'Namn;Typ\n"' + b"x;" * 100_000 + b"\n"
    message = error_of(content, filename="m.csv")
    assert "citattecknen" in message


@pytest.mark.parametrize("content", [b"", b" \n \n", b"\xef\xbb\xbf"])
def test_empty_files_are_refused(content):
    assert error_of(content, filename="m.csv") == "Filen är tom."


# --- XLSX -----------------------------------------------------------------------------------


def test_xlsx_values_keep_their_types():
    rows = [
        ["Namn", "År", "Andel", "Datum", "Aktiv"],
        ["Åre", 2026, 12.5, datetime.date(2026, 3, 1), True],
    ]
    table = read_table(xlsx_bytes(rows), filename="m.xlsx")
    assert table.headers == ["Namn", "År", "Andel", "Datum", "Aktiv"]
    assert table.rows[0].cells == ("Åre", 2026, 12.5, datetime.datetime(2026, 3, 1), True)
    assert table.rows[0].number == 2
    assert table.format == "xlsx"


def test_xlsx_reads_the_active_sheet():
    table = read_table(xlsx_bytes([["Namn"], ["A"]], sheets=2, active=1), filename="m.xlsx")
    assert table.headers == ["Namn 1"]
    assert table.column("Namn 1") == ["A 1"]


def test_xlsx_shared_strings_and_rich_text_without_phonetic_runs():
    shared = (
        f'<sst xmlns="{hostile.MAIN}"><si><t>Namn</t></si>'
        "<si><r><t>Ö</t></r><r><t>rebro</t></r><rPh><t>ÖREBURO</t></rPh></si></sst>"
    )
    sheet = hostile.sheet('<row r="1"><c t="s"><v>0</v></c></row><row r="3"><c t="s"><v>1</v></c></row>')
    table = read_table(hostile.xlsx(sheet, shared=shared), filename="m.xlsx")
    assert [(row.number, row["Namn"]) for row in table] == [(3, "Örebro")]


def test_xlsx_cells_placed_by_reference_leave_gaps_empty():
    sheet = hostile.sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>A</t></is></c><c r="C1" t="inlineStr"><is><t>C</t></is></c></row>'
        '<row r="2"><c r="C2"><v>3</v></c></row>'
    )
    table = read_table(hostile.xlsx(sheet), filename="m.xlsx")
    assert table.headers == ["A", "", "C"]
    assert table.rows[0].cells == (None, None, 3)


def test_xlsx_strict_ooxml_namespace_is_read():
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    sheet = hostile.sheet(hostile.inline_row(1, "Namn") + hostile.inline_row(2, "A")).replace(
        hostile.MAIN, strict
    )
    assert read_table(hostile.xlsx(sheet), filename="m.xlsx").column("Namn") == ["A"]


def test_xlsx_number_too_large_for_a_float_stays_text():
    assert read_table(hostile.number_cell("1E+999999"), filename="m.xlsx").rows[0]["Folkmängd"] == "1E+999999"


def test_xlsx_missing_shared_string_is_unreadable():
    sheet = hostile.sheet('<row r="1"><c t="s"><v>7</v></c></row>')
    assert "kunde inte läsas" in error_of(
        hostile.xlsx(sheet, shared=f'<sst xmlns="{hostile.MAIN}"/>'), filename="m.xlsx"
    )


def test_xlsx_named_file_that_is_no_zip_is_refused():
    assert "ingen Excel-fil" in error_of(b"not a zip", filename="m.xlsx")


def test_xlsx_broken_zip_is_unreadable():
    content = xlsx_bytes([["Namn"], ["A"]])
    assert "kunde inte läsas" in error_of(content[:200], filename="m.xlsx")


# --- The API --------------------------------------------------------------------------------


def test_read_table_takes_an_uploaded_file_and_its_name():
    upload = SimpleUploadedFile("medlemmar.csv", b"Namn\nA\n")
    assert read_table(upload).column("Namn") == ["A"]


def test_read_table_refuses_an_upload_over_5_mb_before_reading_it():
    class Huge:
        name = "stor.csv"
        size = 6 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("read")

    assert error_of(Huge()) == "Filen är för stor. Den får vara högst 5 MB."


def test_read_table_refuses_bytes_over_5_mb():
    assert (
        error_of(b"a" * (5 * 1024 * 1024 + 1), filename="m.csv")
        == "Filen är för stor. Den får vara högst 5 MB."
    )


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [("a.CSV", b"x", "csv"), ("a.txt", b"x", "csv"), ("a.xlsx", b"PK\x03\x04", "xlsx")],
)
def test_detect_format(filename, content, expected):
    assert detect_format(filename, content) == expected


def test_detect_format_unknown_type():
    with pytest.raises(TabularError) as exc:
        detect_format("plan.pdf", b"%PDF")
    assert exc.value.message == "Okänd filtyp. Ladda upp en CSV-fil (.csv) eller en Excel-fil (.xlsx)."
