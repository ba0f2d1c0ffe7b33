"""Hostile files against the reader itself: a Swedish message (or a harmless table), little time, little memory.

Memory is the peak of Python's allocations while reading (tracemalloc: expat and zlib
allocate through Python's allocators, so their memory counts too); time is CPU time, so a
busy machine does not make the bound flaky.
"""

from __future__ import annotations

import time
import tracemalloc

import openpyxl.xml
import pytest

from apps.core.tabular import TabularError, read_table, xlsx_reader
from apps.core.tabular.xlsx_reader import TOO_BIG, UNREADABLE

from . import hostile

MEMORY_LIMIT = 50 * 1024 * 1024
CPU_LIMIT = 3.0


def measured(content: bytes, filename: str = "fil.xlsx"):
    """(table or Swedish message, peak bytes allocated, CPU seconds) of reading ``content``."""
    tracemalloc.start()
    start = time.process_time()
    try:
        outcome = read_table(content, filename=filename)
    except TabularError as exc:
        outcome = exc.message
    seconds = time.process_time() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return outcome, peak, seconds


CASES = [
    ("billion_laughs", hostile.billion_laughs, UNREADABLE),
    ("external_entity_in_sheet", hostile.external_entity, UNREADABLE),
    ("external_entity_in_shared_strings", lambda: hostile.external_entity("shared"), UNREADABLE),
    ("external_dtd", hostile.external_dtd, UNREADABLE),
    ("undefined_entity", hostile.undefined_entity, UNREADABLE),
    ("malformed_xml", hostile.malformed_xml, UNREADABLE),
    ("mismatched_xml", hostile.mismatched_xml, UNREADABLE),
    ("deflate_bomb", hostile.deflate_bomb, TOO_BIG),
    ("many_rows", hostile.many_rows, "Filen har fler än 10\u00a0000 rader. Dela upp den i flera filer."),
    ("far_corner_cell", hostile.far_corner_cell, "Filen har fler än 50 kolumner."),
    ("deep_nesting", hostile.deep_nesting, UNREADABLE),
    ("many_names", hostile.many_names, UNREADABLE),
    ("huge_tag", hostile.huge_tag, UNREADABLE),
    ("central_directory_bomb", hostile.central_directory_bomb, TOO_BIG),
    ("bzip2_member", hostile.bzip2_member, UNREADABLE),
]


@pytest.mark.parametrize(("name", "make", "message"), CASES, ids=[case[0] for case in CASES])
def test_hostile_xlsx_is_a_swedish_message_within_time_and_memory(name, make, message):
    outcome, peak, seconds = measured(make())
    assert isinstance(outcome, str), outcome
    assert outcome.startswith(message)
    assert peak < MEMORY_LIMIT, f"{name}: {peak / 2**20:.1f} MB"
    assert seconds < CPU_LIMIT, f"{name}: {seconds:.2f} s"


def test_shared_strings_beyond_the_cap_are_refused(monkeypatch):
    monkeypatch.setattr(xlsx_reader, "MAX_SHARED_STRINGS", 1_000)
    outcome, _, _ = measured(hostile.shared_strings_bomb(1_001))
    assert outcome == TOO_BIG


def test_dimension_bomb_reads_its_one_cell_in_kilobytes():
    outcome, peak, seconds = measured(hostile.dimension_bomb())
    assert outcome.headers == ["Namn"]
    assert outcome.rows == []
    assert peak < 1024 * 1024
    assert seconds < 0.5


def test_merged_cells_after_the_data_are_never_parsed():
    outcome, peak, seconds = measured(hostile.merge_cells_bomb())
    assert outcome.headers == ["Namn"]
    assert peak < 5 * 1024 * 1024
    assert seconds < 0.5


def test_huge_exponent_in_a_number_cell_stays_text_for_the_parsers():
    outcome, _, seconds = measured(hostile.number_cell("1E+999999"))
    assert outcome.rows[0]["Folkmängd"] == "1E+999999"
    assert seconds < 0.5


def test_csv_bomb_of_tiny_rows_stops_at_the_row_cap():
    outcome, peak, seconds = measured(b"Namn;Typ\n" + b"a;b\n" * 1_000_000, filename="fil.csv")
    assert outcome == "Filen har fler än 10\u00a0000 rader. Dela upp den i flera filer."
    assert peak < MEMORY_LIMIT
    assert seconds < CPU_LIMIT


def test_csv_of_one_giant_field_is_refused():
    outcome, peak, _ = measured(b'Namn\n"' + b"x" * (5 * 1024 * 1024 - 10), filename="fil.csv")
    assert "citattecknen" in outcome
    assert peak < MEMORY_LIMIT


def test_openpyxl_parses_through_defusedxml_wherever_it_is_still_used():
    # openpyxl switches to defusedxml when it is installed; it is a pinned dependency.
    assert openpyxl.xml.DEFUSEDXML is True
