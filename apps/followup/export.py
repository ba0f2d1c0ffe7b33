"""The national follow-up (Uppföljning Finsam): per insats and year, what Försäkringskassan asks for.

Real numbers, not suppressed: the recipient is Försäkringskassan and only the förbundschef and
kansli may download it. Participants are those active during the year (records and counts),
felregistreringar left out; kvinnor and män as asked, totalt over every gender.
"""

from __future__ import annotations

import datetime

import tablib

from apps.budgets.utfall.selectors import utfall_by_line, year_lines
from apps.core.tabular import escape_formula
from apps.insatser.models import InsatsKind, InsatsYear
from apps.tenancy.models import Forbund

from . import statistics as st
from .models import Kon

HEADERS = [
    "Insats",
    "Inriktning",
    "Budgeterat antal deltagare",
    "Deltagare kvinnor",
    "Deltagare män",
    "Deltagare totalt",
    "Budget (kr)",
    "Utfall (kr)",
]
INRIKTNING = {InsatsKind.INDIVID: "Individinriktad", InsatsKind.STRUKTUR: "Strukturövergripande"}


def national_rows(*, forbund: Forbund, year: int) -> list[list]:
    """One row per insats with a year row: inriktning, volumes, participants, budget and utfall."""
    years = list(
        InsatsYear.objects.filter(forbund=forbund, year=year)
        .select_related("insats")
        .order_by("insats__kind", "insats__position", "insats__name")
    )
    ids = [row.insats_id for row in years]
    whole = st.Span("ar", year, datetime.date(year, 1, 1), datetime.date(year, 12, 31), "ar")
    tables = st.participant_tables(forbund=forbund, insats_ids=ids, s=whole)
    cost_lines, _income = year_lines(forbund=forbund, year=year)
    cost_utfall, _ = utfall_by_line(forbund=forbund, year=year)
    utfall: dict[int, int] = {}
    for line in cost_lines:
        if line.insats_id:
            utfall[line.insats_id] = utfall.get(line.insats_id, 0) + sum(cost_utfall.get(line.pk, [0]))
    rows = []
    for row in years:
        kon = tables[row.insats_id]["kon"]
        total_active = sum(values[1] for values in kon.values())
        rows.append(
            [
                row.insats.name,
                INRIKTNING.get(row.insats.kind, row.insats.kind),
                row.budgeted_volume if row.budgeted_volume is not None else "",
                kon[Kon.KVINNA][1],
                kon[Kon.MAN][1],
                total_active,
                row.budget_amount,
                utfall.get(row.insats_id, 0),
            ]
        )
    return rows


def _dataset(rows: list[list]) -> tablib.Dataset:
    data = tablib.Dataset(headers=HEADERS)
    for row in rows:
        data.append([escape_formula(cell) for cell in row])
    return data


def to_csv(rows: list[list]) -> bytes:
    """CSV as Swedish Excel opens it: UTF-8 with BOM, semicolons."""
    return ("\ufeff" + _dataset(rows).export("csv", delimiter=";")).encode("utf-8")


def to_xlsx(rows: list[list]) -> bytes:
    """The same rows as an XLSX workbook."""
    return _dataset(rows).export("xlsx")
