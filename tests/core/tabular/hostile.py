"""Hostile upload files, crafted here byte by byte: what an attacker (or a broken exporter) sends."""

from __future__ import annotations

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def xlsx(
    sheet: str | bytes, *, shared: str | None = None, workbook: str | None = None, level: int = 9
) -> bytes:
    """A minimal XLSX (openpyxl opens it too) of one sheet ``sheet`` (XML), optionally with shared strings."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            + (SHARED_TYPE if shared is not None else "")
            + "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            workbook
            or f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        rels = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        if shared is not None:
            rels += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            archive.writestr("xl/sharedStrings.xml", shared)
        archive.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">{rels}</Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def sheet(rows: str, *, before: str = "", prolog: str = HEAD) -> str:
    """Worksheet XML around ``rows`` (``<row>`` elements), with ``before`` ahead of sheetData."""
    return f'{prolog}<worksheet xmlns="{MAIN}">{before}<sheetData>{rows}</sheetData></worksheet>'


def inline_row(number: int, *values: str) -> str:
    """A row of inline-string cells (no shared strings table needed)."""
    cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values)
    return f'<row r="{number}">{cells}</row>'


def members_sheet(*data_rows: tuple[str, ...]) -> str:
    """The medlemmar columns Namn and Typ, then ``data_rows``."""
    rows = [inline_row(1, "Namn", "Typ")]
    rows += [inline_row(i, *row) for i, row in enumerate(data_rows, start=2)]
    return sheet("".join(rows))


# --- The cases of the security test, issue 9 §2 ---------------------------------------------


def dimension_bomb() -> bytes:
    """1.6 KB declaring the whole sheet (A1:XFD1048576) and holding one cell: 380 MB in openpyxl."""
    return xlsx(sheet(inline_row(1, "Namn"), before='<dimension ref="A1:XFD1048576"/>'))


def far_corner_cell() -> bytes:
    """One cell, at XFD1048576: a reader that pads rows to the cell allocates 16 384 columns."""
    row = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return xlsx(sheet(inline_row(1, "Namn", "Typ") + row, before='<dimension ref="A1:XFD1048576"/>'))


def deflate_bomb(rows: int = 50_000) -> bytes:
    """An ordinary deflate bomb: 50 000 identical member rows in about 15 KB."""
    row = (
        '<row><c t="inlineStr"><is><t>Kommun X</t></is></c><c t="inlineStr"><is><t>Kommun</t></is></c></row>'
    )
    return xlsx(sheet(inline_row(1, "Namn", "Typ") + row * rows))


def many_rows(rows: int = 12_000) -> bytes:
    """More rows than the cap, each different, so the zip is not a bomb by its ratio."""
    body = "".join(inline_row(i, f"Kommun {i * 7919 % 100_003}", "Kommun") for i in range(2, rows + 2))
    return xlsx(sheet(inline_row(1, "Namn", "Typ") + body), level=1)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + "]>"
)


def billion_laughs() -> bytes:
    """Nine levels of ten entities each: a billion "lol"s from a few hundred bytes."""
    return xlsx(sheet(inline_row(1, "Namn", "&lol9;"), prolog=BILLION_LAUGHS))


def external_entity(part: str = "sheet") -> bytes:
    """XXE: an entity that reads a file of the server (in the sheet or the shared strings)."""
    prolog = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    if part == "shared":
        shared = f'{prolog}<sst xmlns="{MAIN}"><si><t>&xxe;</t></si></sst>'
        return xlsx(sheet('<row r="1"><c t="s"><v>0</v></c></row>'), shared=shared)
    return xlsx(sheet(inline_row(1, "Namn", "&xxe;"), prolog=prolog))


def external_dtd() -> bytes:
    """A DOCTYPE that points at a DTD on another server."""
    prolog = '<?xml version="1.0"?><!DOCTYPE worksheet SYSTEM "http://127.0.0.1:9/x.dtd">'
    return xlsx(sheet(inline_row(1, "Namn", "Typ"), prolog=prolog))


def undefined_entity() -> bytes:
    """An entity reference nobody declared."""
    return xlsx(sheet(inline_row(1, "Namn", "&nope;")))


def malformed_xml() -> bytes:
    """Sheet XML that breaks off in the middle of a row."""
    return xlsx(f'{HEAD}<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c t="inlineStr"><is><t>Namn</t>')


def mismatched_xml() -> bytes:
    """Sheet XML whose tags do not nest."""
    return xlsx(sheet('<row r="1"><c t="inlineStr"><is><t>Namn</is></t></c></row>'))


def number_cell(text: str) -> bytes:
    """A members sheet whose Folkmängd is a number cell holding ``text`` as written."""
    rows = inline_row(1, "Namn", "Typ", "Folkmängd")
    rows += f'<row r="2"><c t="inlineStr"><is><t>Ort</t></is></c><c t="inlineStr"><is><t>Kommun</t></is></c><c><v>{text}</v></c></row>'
    return xlsx(sheet(rows))


# --- Further attacks on the reader ----------------------------------------------------------


def deep_nesting(depth: int = 100_000) -> bytes:
    """Elements nested 100 000 deep inside a cell."""
    return xlsx(
        sheet('<row r="1"><c t="inlineStr"><is>' + "<t>" * depth + "x" + "</t>" * depth + "</is></c></row>")
    )


def many_names(count: int = 200_000) -> bytes:
    """200 000 distinct element names: the parser would keep every one."""
    return xlsx(sheet(inline_row(1, "Namn"), before="".join(f"<n{i}/>" for i in range(count))), level=1)


def huge_tag(attributes: int = 300_000) -> bytes:
    """One start tag with 300 000 attributes, parsed in one go by expat."""
    return xlsx(
        sheet(inline_row(1, "Namn"), before="<x " + " ".join(f'a{i}=""' for i in range(attributes)) + "/>")
    )


def shared_strings_bomb(count: int = 300_000) -> bytes:
    """More shared strings than a sheet within the caps could use."""
    shared = f'<sst xmlns="{MAIN}">' + "".join(f"<si><t>{i}</t></si>" for i in range(count)) + "</sst>"
    return xlsx(sheet('<row r="1"><c t="s"><v>0</v></c></row>'), shared=shared, level=1)


def merge_cells_bomb(count: int = 300_000) -> bytes:
    """Hundreds of thousands of elements outside the rows (a tree-building reader keeps them all)."""
    merges = "".join(f'<mergeCell ref="A{i}:B{i}"/>' for i in range(count))
    rows = sheet(inline_row(1, "Namn"))
    return xlsx(rows.replace("</worksheet>", f"<mergeCells>{merges}</mergeCells></worksheet>"), level=1)


def central_directory_bomb(entries: int = 20_000) -> bytes:
    """A zip whose central directory lists 20 000 members, which zipfile would all parse."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for i in range(entries):
            archive.writestr(f"{i}", b"")
    return out.getvalue()


def bzip2_member() -> bytes:
    """A member compressed with bzip2, which a real XLSX never uses."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return out.getvalue()


# --- SIE4 -----------------------------------------------------------------------------------

SIE_HEAD = "#FLAGGA 0\n#SIETYP 4\n#RAR 0 20230101 20231231\n"


def sie(*lines: str) -> bytes:
    """A SIE4 file (CP437) with the given lines after the header; one #VER block around #TRANS lines."""
    return (SIE_HEAD + "\n".join(lines) + "\n").encode("cp437", errors="replace")


def sie_ver(*trans: str) -> bytes:
    """A SIE4 file with one verifikation of 2023-01-31 holding ``trans``."""
    return sie('#VER A 1 20230131 "Test"', "{", *trans, "}")
