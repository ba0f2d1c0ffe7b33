"""The one place the tertial report reads participant statistics: an adapter over apps.followup.

The report never counts participants itself: apps.followup's statistics (with its small-cell
protection, ``reveal=False`` because the board and the revisor are not the insats' staff) are
turned into JSON-ready tables, so a sent report freezes exactly what was shown. The monthly
chart is kept as its figures and drawn with apps.core.charts when the report is shown.
"""

from __future__ import annotations

from apps.core.charts import Chart, line_chart
from apps.followup import selectors as followup
from apps.followup import statistics as st
from apps.insatser.models import Insats
from apps.tenancy.models import Forbund

# T3 covers the whole year: it feeds the verksamhetsberättelse.
PERIODS = {1: "t1", 2: "t2", 3: "ar"}
MEASURES = ("Nya deltagare", "Aktiva deltagare", "Avslutade deltagare")


def _texts(cells) -> list[str]:
    return [cell.text for cell in cells]


def statistics(*, forbund: Forbund, year: int, tertial: int, insatser: list[Insats]) -> dict | None:
    """The follow-up statistics of the report's period (None without insatser): read once per
    report and handed to ``insats_figures`` and ``overall``."""
    if not insatser:
        return None
    return followup.statistics_page(
        forbund=forbund,
        year=year,
        period=PERIODS[tertial],
        insatser=insatser,
        reveal=False,
        with_surveys=False,
    )


def insats_figures(
    *, forbund: Forbund, year: int, tertial: int, insatser: list[Insats], page: dict | None = None
) -> dict[int, dict]:
    """Per insats id: participants by gender (new, active, ended) against the budgeted volume, and
    step movement, as protected text (a fixed number of queries for any number of insatser).

    ``page`` is ``statistics(...)`` for the same arguments when the caller already has it."""
    if not insatser:
        return {}
    if page is None:
        page = statistics(forbund=forbund, year=year, tertial=tertial, insatser=insatser)
    if page is None:
        return {}
    tables = page["tables"]
    columns = [*page["kon_labels"], "Totalt"]
    volume = {
        insats.pk: (share, budgeted) for insats, _total, budgeted, share, _before in page["volume_rows"]
    }
    result = {}
    for n, insats in enumerate(insatser):
        rows = []
        for measure, table in zip(MEASURES, page["kon_tables"], strict=True):
            _insats, cells, total = table.rows[n]
            rows.append({"label": measure, "cells": [*_texts(cells), total.text]})
        # Follow-up's own wording and small-number rule for movement (hidden under 5 participants).
        move = followup._movement_text(st.movement(tables[insats.pk]["steg"]), reveal=False)  # noqa: SLF001
        share, budgeted = volume.get(insats.pk, ("–", None))
        result[insats.pk] = {
            "row_heading": "Deltagare",
            "columns": columns,
            "rows": rows,
            "volume_share": share,
            "budgeted_volume": budgeted,
            "movement": {"mean": move["mean"], "share": move["share"]},
            "note": "Antal under 5 visas som ”<5” och celler som annars kunde räknas fram som ”×”."
            if page["suppressed"]
            else "",
        }
    return result


def overall(
    *, forbund: Forbund, year: int, tertial: int, insatser: list[Insats], page: dict | None = None
) -> dict | None:
    """The förbund's participants in the period: totals by gender, age, step movement, the monthly chart.

    ``page`` is ``statistics(...)`` for the same arguments when the caller already has it."""
    if not insatser:
        return None
    if page is None:
        page = statistics(forbund=forbund, year=year, tertial=tertial, insatser=insatser)
    if page is None:
        return None
    columns = [*page["kon_labels"], "Totalt"]
    totals = {
        "caption": f"Deltagare efter kön, {page['span'].start:%Y-%m-%d}–{page['span'].end:%Y-%m-%d}",
        "row_heading": "Mått",
        "columns": columns,
        "rows": [
            {"label": measure, "cells": [*_texts(table.col_totals), table.total.text]}
            for measure, table in zip(MEASURES, page["kon_tables"], strict=True)
        ],
        "note": "",
    }
    age = {
        "caption": "Deltagare efter ålder",
        "row_heading": "Ålder",
        "columns": ["Antal"],
        "rows": [{"label": label, "cells": [cell.text]} for label, cell in page["alder"]["rows"]],
        "note": "",
    }
    month = page["chart"]
    return {
        "tables": [totals, age],
        "movement": page["movement"]["mean"],
        "moved_share": page["movement"]["share"],
        "to_work": page["to_work"],
        "suppressed": page["suppressed"],
        "months": {
            "labels": list(followup.MONTHS_SHORT),
            "series": [
                {"name": name, "values": [None if c.hidden else c.value for c in column]}
                for name, column in (
                    ("Kvinnor", [cells[0] for _m, cells, _t in month["rows"]]),
                    ("Män", [cells[1] for _m, cells, _t in month["rows"]]),
                    ("Annat eller ej uppgivet", [cells[2] for _m, cells, _t in month["rows"]]),
                    ("Totalt", [total for _m, _cells, total in month["rows"]]),
                )
            ],
            "volume": month["volume"],
            "has_data": month["has_data"],
        },
    }


def month_chart(months: dict, year: int) -> Chart | None:
    """The monthly participants chart drawn from the (possibly frozen) figures, or None without data."""
    if not months or not months.get("has_data"):
        return None
    series = [(s["name"], s["values"]) for s in months["series"]]
    volume = months.get("volume")
    if volume:
        series.append(("Budgeterad volym", [volume] * len(months["labels"])))
    return line_chart(
        labels=months["labels"],
        series=series,
        alt=f"Linjediagram: aktiva deltagare per månad {year} efter kön"
        + (f", mot budgeterad volym {volume} deltagare" if volume else "")
        + ". Siffrorna finns i tabellerna.",
        dashed=frozenset({"Budgeterad volym"}),
        y_title="Deltagare",
    )
