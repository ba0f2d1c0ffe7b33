"""XLSX, read safely: the zip is checked before anything is inflated, and the XML is streamed.

Why not openpyxl: it trusts the sheet's declared ``<dimension>`` and pads every row to it
(a 1.6 KB file declaring ``A1:XFD1048576`` grew the server by 380 MB), builds a whole row
in memory before it can be capped, and keeps every element outside the rows.

Here, in order:

1. the zip's central directory is at most ``MAX_CENTRAL_DIRECTORY`` bytes (zipfile parses
   all of it on opening: 100 000 listed members cost tens of MB);
2. each member read is stored or deflated, at most ``MAX_MEMBER_BYTES`` uncompressed as
   declared (zipfile never inflates past the declared size, and the members together at
   most ``MAX_TOTAL_BYTES``), and, above 1 MB, at most ``MAX_RATIO`` times its compressed
   size: a deflate bomb is refused before a byte of it is inflated;
3. the XML is parsed by expat as defusedxml sets it up with DTDs forbidden (so no entity
   can be declared: no billion laughs, no external entities; an undefined entity is a
   syntax error), and its events go straight to a handler that keeps only the current
   cell: no element tree, nesting deeper than ``MAX_DEPTH`` refused, at most ``MAX_NAMES``
   distinct tag and attribute names, no tag longer than ``MAX_TAG_BYTES`` (a tag with a
   million attributes), and at most ``MAX_EVENTS`` elements in all, which bounds the time;
4. rows and columns are counted as they stream past (the declared dimension is ignored),
   shared strings are capped in number and characters, reading stops at the first cap and
   at the end of ``<sheetData>`` (merged cells and formatting after it are never parsed).

Cells come out as str, int, float, bool or datetime (a number in a date format); a number
that does not fit a float ("1E+999999") stays text, for the cell parsers to refuse.
"""

from __future__ import annotations

import datetime
import io
import math
import posixpath
import re
import struct
import zipfile
import zlib
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from .cells import MAX_CELL_CHARS, MAX_NUMBER_CHARS
from .errors import TabularError
from .table import TableBuilder

MAX_CENTRAL_DIRECTORY = 256 * 1024
MAX_MEMBER_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 32 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # small members may compress as well as they like
MAX_DEPTH = 64
MAX_NAMES = 2_000
MAX_EVENTS = 1_500_000
MAX_TAG_BYTES = 256 * 1024
MAX_SHARED_STRINGS = 200_000
MAX_SHARED_CHARS = 4_000_000
MAX_STYLES = 100_000
MAX_SHEETS = 1_000
CHUNK = 64 * 1024

UNREADABLE = "Excel-filen kunde inte läsas. Spara den på nytt i Excel som .xlsx och försök igen."
TOO_BIG = (
    "Excel-filen är för stor när den packas upp (eller ovanligt hårt packad). "
    "Spara bara de rader och kolumner som ska importeras, eller ladda upp en CSV-fil."
)
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})", re.ASCII)
_DIGITS = re.compile(r"\d{1,9}", re.ASCII)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,4})?", re.ASCII)
_EOCD = struct.Struct("<4s4H2LH")
_EOCD_SIGNATURE = b"PK\x05\x06"


def _attr(attrib: dict, name: str) -> str | None:
    """An attribute by local name, whatever its namespace (r:id is namespaced, ref is not)."""
    if name in attrib:
        return attrib[name]
    for key, value in attrib.items():
        if key.endswith("}" + name):
            return value
    return None


# --- The zip --------------------------------------------------------------------------------


def _check_central_directory(content: bytes) -> None:
    """Refuse a central directory too large to parse cheaply, before zipfile parses it."""
    tail = content[-(65_535 + _EOCD.size) :]
    at = tail.rfind(_EOCD_SIGNATURE)
    if at < 0 or len(tail) - at < _EOCD.size:
        raise TabularError(UNREADABLE)
    if at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
        raise TabularError(TOO_BIG)  # zip64, whose sizes would bypass the check below
    *_, entries, size, _offset, _comment = _EOCD.unpack_from(tail, at)
    if size > MAX_CENTRAL_DIRECTORY or entries > MAX_CENTRAL_DIRECTORY // 46:
        raise TabularError(TOO_BIG)


class Archive:
    """The zip's members, each checked before it is opened; the bytes inflated so far are counted."""

    def __init__(self, content: bytes):
        _check_central_directory(content)
        self.zip = zipfile.ZipFile(io.BytesIO(content))
        self.total = 0
        self.events_left = MAX_EVENTS

    def has(self, name: str) -> bool:
        return name in self.zip.NameToInfo

    def member(self, name: str) -> zipfile.ZipInfo:
        info = self.zip.NameToInfo.get(name)
        if info is None:
            raise TabularError(UNREADABLE)
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise TabularError(UNREADABLE)
        if info.file_size > MAX_MEMBER_BYTES or self.total + info.file_size > MAX_TOTAL_BYTES:
            raise TabularError(TOO_BIG)
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise TabularError(TOO_BIG)
        self.total += info.file_size
        return info

    def parse(self, name: str, handler: Handler) -> None:
        """Stream member ``name`` through a defused expat parser into ``handler``."""
        info = self.member(name)
        parser = _defused_expat(handler)
        handler.max_events = self.events_left
        run = 0  # bytes since the last ">": the length of the tag (or text) being read
        with self.zip.open(info) as stream:
            while chunk := stream.read(CHUNK):
                pieces = chunk.split(b">")
                if len(pieces) == 1:
                    run += len(chunk)
                else:
                    longest = max(run + len(pieces[0]), max(map(len, pieces[1:-1]), default=0))
                    if longest > MAX_TAG_BYTES:
                        raise TabularError(UNREADABLE)
                    run = len(pieces[-1])
                if run > MAX_TAG_BYTES:
                    raise TabularError(UNREADABLE)
                try:
                    parser.Parse(chunk, False)
                except Finished:
                    break
            else:
                parser.Parse(b"", True)
        self.events_left -= handler.events


def _defused_expat(handler: Handler):
    """The expat parser under defusedxml's XMLParser, its defences on, its events sent to ``handler``.

    defusedxml installs handlers that raise on any DOCTYPE (forbid_dtd: no entity can be
    declared, so no billion laughs), entity declaration and external reference; an
    undefined entity is a syntax error to expat itself. The handler takes the element events
    straight from expat: no tree, no per-event ElementTree layer.
    """
    parser = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True).parser
    parser.ordered_attributes = False
    parser.buffer_text = True
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.data
    handler.names = parser.intern
    return parser


# --- Handlers of the XML events: start, end, data --------------------------------------------


class Finished(Exception):
    """Raised by a handler that has read all it needs: the rest of the member is never parsed."""


class Handler:
    """Counts nesting and distinct names; subclasses read what they need in on_start/on_end.

    Expat keeps every distinct tag and attribute name of a document (and so does its intern
    dict), so a sheet of millions of made-up names is refused after MAX_NAMES of them.
    """

    def __init__(self):
        self.depth = 0
        self.events = 0
        self.max_events = MAX_EVENTS
        self.names: dict = {}

    def start(self, tag, attrib):
        self.depth += 1
        self.events += 1
        if self.depth > MAX_DEPTH or len(self.names) > MAX_NAMES:
            raise TabularError(UNREADABLE)
        if self.events > self.max_events:
            raise TabularError(TOO_BIG)
        self.on_start(tag[tag.rfind("}") + 1 :], attrib)

    def end(self, tag):
        self.depth -= 1
        self.on_end(tag[tag.rfind("}") + 1 :])

    def data(self, text):
        pass

    def on_start(self, name, attrib):
        pass

    def on_end(self, name):
        pass


class TextCollector(Handler):
    """Collects the text of ``<t>`` or ``<v>`` elements while ``capturing``, up to a cap."""

    def __init__(self):
        super().__init__()
        self.capturing = False
        self.parts: list[str] = []
        self.length = 0
        self.phonetic = 0  # inside <rPh>: a reading aid, not part of the text

    def data(self, text):
        if self.capturing:
            self.length += len(text)
            if self.length > MAX_CELL_CHARS:
                raise TabularError(
                    f"En cell i Excel-filen har mer än {MAX_CELL_CHARS} tecken. Korta texten och försök igen."
                )
            self.parts.append(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts = []
        self.length = 0
        return text


class RelsHandler(Handler):
    """``Id -> (Type, Target)`` of a relationships part."""

    def __init__(self):
        super().__init__()
        self.rels: dict[str, tuple[str, str]] = {}

    def on_start(self, name, attrib):
        if name == "Relationship":
            if len(self.rels) >= MAX_SHEETS * 4:
                raise TabularError(UNREADABLE)
            self.rels[attrib.get("Id", "")] = (attrib.get("Type", ""), attrib.get("Target", ""))


class WorkbookHandler(Handler):
    """The sheets (by relationship id) in order, the active tab and the date system."""

    def __init__(self):
        super().__init__()
        self.sheets: list[str] = []
        self.active = 0
        self.date1904 = False

    def on_start(self, name, attrib):
        if name == "sheet":
            if len(self.sheets) >= MAX_SHEETS:
                raise TabularError(UNREADABLE)
            self.sheets.append(_attr(attrib, "id") or "")
        elif name == "workbookView":
            tab = attrib.get("activeTab", "0")
            self.active = int(tab) if _DIGITS.fullmatch(tab) else 0
        elif name == "workbookPr":
            self.date1904 = attrib.get("date1904", "0").lower() in ("1", "true")


class StylesHandler(Handler):
    """Which cell styles (the ``s`` of a cell) have a date format."""

    def __init__(self):
        super().__init__()
        self.formats: dict[int, str] = {}
        self.xf_formats: list[int] = []
        self.in_cell_xfs = False

    def on_start(self, name, attrib):
        if name == "numFmt":
            number = attrib.get("numFmtId", "")
            if _DIGITS.fullmatch(number) and len(self.formats) < MAX_STYLES:
                self.formats[int(number)] = attrib.get("formatCode", "")[:255]
        elif name == "cellXfs":
            self.in_cell_xfs = True
        elif name == "xf" and self.in_cell_xfs:
            if len(self.xf_formats) >= MAX_STYLES:
                raise TabularError(UNREADABLE)
            number = attrib.get("numFmtId", "0")
            self.xf_formats.append(int(number) if _DIGITS.fullmatch(number) else 0)

    def on_end(self, name):
        if name == "cellXfs":
            self.in_cell_xfs = False

    def date_styles(self) -> set[int]:
        dates = {n for n, code in self.formats.items() if is_date_format(code)}
        dates |= {n for n, code in BUILTIN_FORMATS.items() if n not in self.formats and is_date_format(code)}
        return {style for style, number in enumerate(self.xf_formats) if number in dates}


class SharedStringsHandler(TextCollector):
    """The shared strings table, capped in count and in characters."""

    def __init__(self):
        super().__init__()
        self.strings: list[str] = []
        self.chars = 0

    def on_start(self, name, attrib):
        if name == "t" and not self.phonetic:
            self.capturing = True
        elif name == "rPh":
            self.phonetic += 1

    def on_end(self, name):
        if name == "t":
            self.capturing = False
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "si":
            text = self.take()
            self.chars += len(text)
            if len(self.strings) >= MAX_SHARED_STRINGS or self.chars > MAX_SHARED_CHARS:
                raise TabularError(TOO_BIG)
            self.strings.append(text)


class SheetHandler(TextCollector):
    """The rows of a worksheet, fed one by one to the builder; the declared dimension is ignored."""

    def __init__(self, builder: TableBuilder, shared: list[str], date_styles: set[int], epoch):
        super().__init__()
        self.builder = builder
        self.shared = shared
        self.date_styles = date_styles
        self.epoch = epoch
        self.row_number = 0
        self.in_data = False  # before <sheetData> come sheet views and column widths: skipped
        self.in_row = False
        self.in_inline = False
        self.cells: dict[int, object] = {}
        self.column = 0
        self.cell_type = "n"
        self.cell_style = 0

    def on_start(self, name, attrib):
        if not self.in_data:
            self.in_data = name == "sheetData"
        elif name == "c":
            self.column += 1
            ref = attrib.get("r")
            if ref is not None and (match := _CELL_REF.fullmatch(ref)):
                self.column = _column_number(match[1])
            self.cell_type = attrib.get("t", "n")
            style = attrib.get("s", "0")
            self.cell_style = int(style) if _DIGITS.fullmatch(style) else 0
            self.parts = []
            self.length = 0
        elif name == "v":
            self.capturing = self.in_row
        elif name == "t":
            self.capturing = self.in_row and self.in_inline and not self.phonetic
        elif name == "is":
            self.in_inline = True
        elif name == "rPh":
            self.phonetic += 1
        elif name == "row":
            number = attrib.get("r", "")
            self.row_number = int(number) if _DIGITS.fullmatch(number) else self.row_number + 1
            self.in_row = True
            self.cells = {}
            self.column = 0

    def on_end(self, name):
        if name == "c":
            if self.in_row:
                value = self._value(self.take())
                if value is not None and value != "":
                    if self.column > self.builder.max_columns:
                        raise self.builder.too_many_columns()
                    self.cells[self.column] = value
        elif name in ("v", "t"):
            self.capturing = False
        elif name == "is":
            self.in_inline = False
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "row":
            self.in_row = False
            width = max(self.cells, default=0)
            self.builder.add(self.row_number, [self.cells.get(i) for i in range(1, width + 1)])
            self.cells = {}
        elif name == "sheetData":
            raise Finished  # merged cells, formatting and the rest after the data are never read

    def _value(self, text: str):
        kind = self.cell_type
        if kind == "s":
            if not _DIGITS.fullmatch(text) or int(text) >= len(self.shared):
                raise TabularError(UNREADABLE)
            return self.shared[int(text)]
        if kind in ("inlineStr", "str", "e"):
            return text
        if kind == "b":
            return {"1": True, "0": False}.get(text.strip(), text)
        if kind == "d":
            return _iso_datetime(text)
        return self._number(text.strip())

    def _number(self, text: str):
        if not text:
            return None
        if len(text) > MAX_NUMBER_CHARS or not _NUMBER.fullmatch(text):
            return text  # left to the cell parsers to refuse, with the text shown
        number = float(text)
        if not math.isfinite(number):
            return text
        if self.cell_style in self.date_styles and 1 <= number < 2_958_466:  # until 9999-12-31
            try:
                return from_excel(number, self.epoch)
            except (OverflowError, ValueError):
                return number
        if number.is_integer() and abs(number) < 2**53:
            return int(number)
        return number


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _iso_datetime(text: str):
    try:
        return datetime.datetime.fromisoformat(text.strip()) if len(text) <= 40 else text
    except ValueError:
        return text


# --- The workbook ---------------------------------------------------------------------------


def _resolve(base_dir: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(base_dir, target))


def _rels_of(archive: Archive, part: str) -> dict[str, tuple[str, str]]:
    directory, name = posixpath.split(part)
    rels_name = posixpath.join(directory, "_rels", name + ".rels")
    handler = RelsHandler()
    if archive.has(rels_name):
        archive.parse(rels_name, handler)
    return handler.rels


def _find(rels, suffix: str) -> str | None:
    return next((target for kind, target in rels.values() if kind.endswith(suffix)), None)


def read_xlsx(content: bytes, *, builder: TableBuilder) -> None:
    """Feed the rows of the workbook's active sheet to ``builder``."""
    if not content.startswith(b"PK\x03\x04"):
        raise TabularError("Filen heter .xlsx men är ingen Excel-fil (XLSX). Spara den på nytt från Excel.")
    try:
        _read(content, builder)
    except TabularError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        RuntimeError,
        NotImplementedError,
        ExpatError,
        DefusedXmlException,
        UnicodeError,
        LookupError,
        ValueError,
        struct.error,
    ) as exc:
        raise TabularError(UNREADABLE) from exc


def _read(content: bytes, builder: TableBuilder) -> None:
    archive = Archive(content)
    root = _rels_of(archive, "")
    workbook_part = _resolve("", _find(root, "/officeDocument") or "xl/workbook.xml")
    workbook = WorkbookHandler()
    archive.parse(workbook_part, workbook)
    rels = _rels_of(archive, workbook_part)
    base = posixpath.dirname(workbook_part)
    if not workbook.sheets:
        raise TabularError("Excel-filen har inget kalkylblad.")
    sheet_id = workbook.sheets[workbook.active if workbook.active < len(workbook.sheets) else 0]
    if sheet_id not in rels:
        raise TabularError(UNREADABLE)
    sheet_part = _resolve(base, rels[sheet_id][1])

    strings = SharedStringsHandler()
    strings_part = _resolve(base, _find(rels, "/sharedStrings") or "sharedStrings.xml")
    if archive.has(strings_part):
        archive.parse(strings_part, strings)
    styles = StylesHandler()
    styles_part = _resolve(base, _find(rels, "/styles") or "styles.xml")
    if archive.has(styles_part):
        archive.parse(styles_part, styles)
    epoch = CALENDAR_MAC_1904 if workbook.date1904 else CALENDAR_WINDOWS_1900
    archive.parse(sheet_part, SheetHandler(builder, strings.strings, styles.date_styles(), epoch))
