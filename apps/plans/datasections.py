"""The registry of data sections: content the plan shows live from the product.

A data section is registered with a key, a default title, a renderer and a template::

    from apps.plans.datasections import register
    register("budget", "Budget", budget_renderer, template_name="budgets/plan_budget.html")

``renderer(forbund, year)`` returns a JSON-serialisable dict (the data, never HTML): ints for
kronor and counts, strings for Decimals ("2.50") and dates ("2026-03-15"). It must run a fixed
number of queries whatever the data size. The template receives the dict as ``data`` (and the
section, the version and the förbund). Live drafts call the renderer; a fastställd version
renders only the dict frozen at adoption. A key nobody registered shows "Uppgifter saknas".
Other apps register from their ``AppConfig.ready``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.tenancy.models import Forbund

Renderer = Callable[[Forbund, int], dict[str, Any]]
MISSING_TEMPLATE = "plans/data/missing.html"


@dataclass(frozen=True)
class DataSection:
    """One registered data section."""

    key: str
    title: str
    renderer: Renderer
    template_name: str


_registry: dict[str, DataSection] = {}


def register(key: str, title: str, renderer: Renderer, template_name: str | None = None) -> None:
    """Register (or replace) the data section ``key``; the template defaults to plans/data/<key>.html."""
    _registry[key] = DataSection(key, title, renderer, template_name or f"plans/data/{key}.html")


def unregister(key: str) -> None:
    """Remove a data section (for tests)."""
    _registry.pop(key, None)


def get(key: str) -> DataSection | None:
    """The registered data section, or None."""
    return _registry.get(key)


def choices() -> list[tuple[str, str]]:
    """(key, title) of every registered data section, in registration order."""
    return [(s.key, s.title) for s in _registry.values()]


def render_data(key: str, forbund: Forbund, year: int) -> dict[str, Any] | None:
    """The live data of a section, or None when the key is not registered."""
    section = _registry.get(key)
    return None if section is None else section.renderer(forbund, year)


def template_for(key: str) -> str:
    """The template that renders the section's data (the "Uppgifter saknas" one when unknown)."""
    section = _registry.get(key)
    return MISSING_TEMPLATE if section is None else section.template_name


def _json(value):
    """Decimals and dates as strings so the dict can be frozen as JSON."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


# --- Built-in data sections --------------------------------------------------------------


def organisation(forbund: Forbund, year: int) -> dict[str, Any]:
    """Members, the board of the year as printed (per member: ledamot, ersättare) and other bodies."""
    from apps.members import selectors as members
    from apps.members.models import SeatKind, Styrelseledamot

    seats = (
        Styrelseledamot.objects.filter(
            forbund=forbund,
            mandate_start__lte=datetime.date(year, 12, 31),
            mandate_end__gte=datetime.date(year, 1, 1),
        )
        .select_related("medlem")
        .order_by("medlem__position", "medlem__name", "person_name")
    )
    board: dict[int, dict] = {}
    for seat in seats:
        row = board.setdefault(seat.medlem_id, {"medlem": seat.medlem.name, "ledamoter": [], "ersattare": []})
        name = f"{seat.person_name} {seat.chair_abbreviation}".strip()
        (row["ledamoter"] if seat.seat == SeatKind.LEDAMOT else row["ersattare"]).append(name)
    return {
        "medlemmar": [
            {"name": m.name, "kind": m.get_kind_display()} for m in members.medlem_list(forbund=forbund)
        ],
        "styrelse": list(board.values()),
        "organ": [
            {
                "name": organ.name,
                "kind": organ.get_kind_display(),
                "purpose": organ.purpose,
                "meetings_per_year": organ.meetings_per_year,
                "members": [
                    {"name": om.person_name, "medlem": om.medlem.name if om.medlem else "", "role": om.role}
                    for om in organ.ledamoter.all()
                ],
            }
            for organ in members.organ_list(forbund=forbund)
        ],
    }


def mal(forbund: Forbund, year: int) -> dict[str, Any]:
    """The year's målområden with their delmål (target, evaluation, timing and source)."""
    from apps.goals import selectors as goals

    return {
        "malomraden": [
            {
                "number": m.number,
                "title": m.title,
                "description": m.description,
                "delmal": [
                    {
                        "label": f"{m.number}.{d.number}",
                        "text": d.text,
                        "indicator": d.indicator,
                        "target": d.target_display,
                        "utvarderingsmetod": d.utvarderingsmetod,
                        "tidpunkt": d.get_tidpunkt_display(),
                        "data_source": d.get_data_source_display(),
                        "insats": d.insats.name if d.insats else "",
                    }
                    for d in m.delmal.all()
                ],
            }
            for m in goals.malomrade_list(forbund=forbund, year=year)
        ]
    }


def insatser(forbund: Forbund, year: int) -> dict[str, Any]:
    """Insatser with a row for the year (budget kr, FTE, volume), grouped individ / struktur."""
    from apps.insatser import selectors as ins
    from apps.insatser.models import InsatsKind

    groups: dict[InsatsKind, dict[str, Any]] = {
        kind: {"kind": kind.value, "title": kind.label, "rows": []} for kind in InsatsKind
    }
    for insats in ins.insats_list(forbund=forbund, year=year):
        year_rows = insats.year_rows_for_list  # type: ignore[attr-defined]  # prefetched to_attr
        if not year_rows:
            continue
        row = year_rows[0]
        groups[InsatsKind(insats.kind)]["rows"].append(
            {
                "name": insats.name,
                "verksamhetsagare": insats.verksamhetsagare.name,
                "medparter": [m.name for m in insats.medparter.all()],
                "status": insats.get_status_display(),
                "budget_amount": row.budget_amount,
                "financed_fte": _json(row.financed_fte),
                "budgeted_volume": row.budgeted_volume,
            }
        )
    result = list(groups.values())
    for group in result:
        group["budget_total"] = sum(r["budget_amount"] for r in group["rows"])
        group["fte_total"] = str(sum((Decimal(r["financed_fte"]) for r in group["rows"]), Decimal("0.00")))
    return {
        "groups": result,
        "budget_total": sum(g["budget_total"] for g in result),
        "fte_total": str(sum((Decimal(g["fte_total"]) for g in result), Decimal("0.00"))),
    }


def arsplanering(forbund: Forbund, year: int) -> dict[str, Any]:
    """The board's meetings of the year and what is planned at each."""
    from apps.members import selectors as members

    return {
        "moten": [
            {
                "date": _json(mote.date),
                "month": mote.get_month_display() if mote.month else "",
                "items": mote.item_list,
            }
            for mote in members.styrelsemote_list(forbund=forbund, year=year)
        ]
    }


register("organisation", "Organisation", organisation)
register("mal", "Målområden och delmål", mal)
register("insatser", "Insatser", insatser)
register("arsplanering", "Styrelsens årsplanering", arsplanering)
