"""The caps of the utfall parser: past them a file error, before any memory is spent on the rest."""

from __future__ import annotations

from apps.budgets.utfall import parsing
from apps.budgets.utfall.parsing import parse_sie4, parse_table
from tests.core.tabular.hostile import sie_ver


def test_sie_with_more_amounts_than_the_cap_is_a_file_error(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_SIE_ENTRIES", 1_000)
    lines = [f"#TRANS {3000 + i % 6000} {{}} {i}.50 202301{i % 28 + 1:02d}" for i in range(1_002)]
    result = parse_sie4(sie_ver(*lines), year=2023)
    assert result.file_errors == [
        "Filen har fler än 1\u00a0000 belopp på resultatkonton. Exportera periodsaldon (#PSALDO) i stället, "
        "eller dela upp året i flera filer."
    ]


def test_sie_with_exactly_the_cap_is_read(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_SIE_ENTRIES", 1_000)
    lines = [f"#TRANS 5010 {{}} {i}.50" for i in range(1_000)]
    assert len(parse_sie4(sie_ver(*lines), year=2023).entries) == 1_000


def test_utfall_csv_beyond_the_row_cap_is_a_file_error():
    rows = "5010;2023;1;1\n" * 50_001
    result = parse_table(("Konto;År;Månad;Belopp\n" + rows).encode(), "csv", year=2023)
    assert result.file_errors == ["Filen har fler än 50\u00a0000 rader. Dela upp den i flera filer."]
