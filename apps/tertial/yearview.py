"""The year view: every delmål's value at T1, T2 and T3 and in the two previous years, with a small chart
(apps.core.charts, the product's one chart library).

Values come from ``content.period_values``: a sent or approved report's frozen figures where one
exists, else the live values of a period that has ended. Earlier years' delmål are matched by
their label ("1.2"), which "start year N+1" keeps. Five periods, each a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from apps.core.charts import Chart, line_chart
from apps.tenancy.models import Forbund

from . import content


@dataclass(frozen=True)
class Column:
    """One period of the table: its heading and where its values come from."""

    heading: str
    year: int
    tertial: int


def columns(year: int) -> list[Column]:
    """The two previous years (their whole year, T3) and the year's three tertials, oldest first."""
    return [
        Column(f"Helår {year - 2}", year - 2, 3),
        Column(f"Helår {year - 1}", year - 1, 3),
        Column(f"T1 {year}", year, 1),
        Column(f"T2 {year}", year, 2),
        Column(f"T3 {year}", year, 3),
    ]


def small_chart(delmal, headings: list[str], values: list[Decimal | None]) -> Chart | None:
    """A small line chart of the periods' values (with the target as a dashed line); None under two values."""
    if sum(v is not None for v in values) < 2:
        return None
    # Plotting only: pygal draws floats; every figure shown as text stays a Decimal.
    series = [("Värde", [None if v is None else float(v) for v in values])]
    target = delmal.target_value if delmal.target_comparator in ("minst", "hogst", "lika") else None
    if target is not None:
        series.append(("Mål", [float(target)] * len(values)))
    described = "; ".join(
        f"{h}: {content.format_value(delmal, v)}" for h, v in zip(headings, values, strict=True)
    )
    return line_chart(
        labels=headings,
        series=series,
        alt=f"Delmål {delmal.label}: {described}"
        + (f"; mål {delmal.target_display}" if target is not None else ""),
        dashed=frozenset({"Mål"}),
    )


def year_table(*, forbund: Forbund, year: int, today: datetime.date | None = None) -> dict:
    """The year's delmål as rows of five period values with a sparkline and a text description."""
    cols = columns(year)
    values = [
        content.period_values(forbund=forbund, year=c.year, tertial=c.tertial, today=today) for c in cols
    ]
    rows = []
    for delmal in content.year_delmal(forbund=forbund, year=year):
        series = [v.get(delmal.label) for v in values]
        rows.append(
            {
                "label": delmal.label,
                "text": delmal.text,
                "target": delmal.target_display,
                "cells": [content.format_value(delmal, value) for value in series],
                "chart": small_chart(delmal, [c.heading for c in cols], series),
            }
        )
    return {"columns": [c.heading for c in cols], "rows": rows}
