"""The year view: every delmål's value at T1, T2 and T3 and in the two previous years, with a small chart.

Values come from ``content.period_values``: a sent or approved report's frozen figures where one
exists, else the live values of a period that has ended. Earlier years' delmål are matched by
their label ("1.2"), which "start year N+1" keeps. Five periods, each a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from apps.tenancy.models import Forbund

from . import content

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 32, 4


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


def sparkline(values: list[Decimal | None]) -> dict | None:
    """Points of a small line chart over the periods that have a value (None with fewer than two)."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return None
    low, high = min(v for _, v in known), max(v for _, v in known)
    span = (high - low) or Decimal(1)
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / (len(values) - 1)
    points = [
        (
            round(SPARK_PAD + i * step),
            round(SPARK_HEIGHT - SPARK_PAD - float((v - low) / span) * (SPARK_HEIGHT - 2 * SPARK_PAD)),
        )
        for i, v in known
    ]
    return {
        "width": SPARK_WIDTH,
        "height": SPARK_HEIGHT,
        "points": " ".join(f"{x},{y}" for x, y in points),
        "dots": [{"x": x, "y": y} for x, y in points],
    }


def year_table(*, forbund: Forbund, year: int, today: datetime.date | None = None) -> dict:
    """The year's delmål as rows of five period values with a sparkline and a text description."""
    cols = columns(year)
    values = [
        content.period_values(forbund=forbund, year=c.year, tertial=c.tertial, today=today) for c in cols
    ]
    rows = []
    for delmal in content.year_delmal(forbund=forbund, year=year):
        series = [v.get(delmal.label) for v in values]
        cells = [content.format_value(delmal, value) for value in series]
        rows.append(
            {
                "label": delmal.label,
                "text": delmal.text,
                "target": delmal.target_display,
                "cells": cells,
                "chart": sparkline(series),
                "description": "; ".join(f"{c.heading}: {cell}" for c, cell in zip(cols, cells, strict=True)),
            }
        )
    return {"columns": [c.heading for c in cols], "rows": rows}
