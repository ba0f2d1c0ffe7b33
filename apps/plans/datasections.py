"""The registry of data sections: content the plan shows live from the product.

A data section is registered with a key, a default title, a renderer and a template::

    from apps.plans.datasections import register
    register("budget", "Budget", budget_renderer, template_name="budgets/plan_budget.html")

``renderer(forbund, year)`` returns a JSON-serialisable dict (the data, never HTML): ints for
kronor and counts, strings for Decimals ("2.50") and dates ("2026-03-15"). It must run a fixed
number of queries whatever the data size. The template receives the dict as ``data``,
``interactive`` (the web page, not the PDF), the version and the förbund, and is rendered once
per key for a whole document (apps.plans.rendering), so it must not depend on the section that
shows it. Live drafts call the renderer; a fastställd version
renders only the dict frozen at adoption. A key nobody registered shows "Uppgifter saknas".
Other apps register from their ``AppConfig.ready``.

Renderers of one document may share what they read (the budget and the långtidsbudget both
rest on one budget summary): inside :func:`shared_reads`, opened by the plan selectors around
one document, :func:`shared` is a dict that lives exactly as long as that reading.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections.abc import Callable, Iterator
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


_shared: contextvars.ContextVar[dict | None] = contextvars.ContextVar("plan_data_shared", default=None)


@contextlib.contextmanager
def shared_reads() -> Iterator[dict]:
    """Let the renderers called inside share reads through :func:`shared` (one document's data)."""
    reads: dict = {}
    token = _shared.set(reads)
    try:
        yield reads
    finally:
        _shared.reset(token)


def shared() -> dict | None:
    """The reads shared by the renderers of the current document; None outside one (read afresh)."""
    return _shared.get()


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
    from apps.members.models import ChairRole, SeatKind, Styrelseledamot

    seats = (
        Styrelseledamot.objects.filter(
            members.mandate_overlaps(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
            forbund=forbund,
        )
        .select_related("medlem")
        .order_by("medlem__position", "medlem__name", "person_name")
    )
    board: dict[int, dict] = {}
    # The ordinarie ledamöter as the signature page names them, chair first.
    signers: list[dict[str, str]] = []
    for seat in seats:
        row = board.setdefault(seat.medlem_id, {"medlem": seat.medlem.name, "ledamoter": [], "ersattare": []})
        name = f"{seat.person_name} {seat.chair_abbreviation}".strip()
        (row["ledamoter"] if seat.seat == SeatKind.LEDAMOT else row["ersattare"]).append(name)
        if seat.seat == SeatKind.LEDAMOT:
            signers.append(
                {
                    "name": seat.person_name,
                    "medlem": seat.medlem.name,
                    "chair": seat.chair_role,
                    "role": ChairRole(seat.chair_role).label if seat.chair_role else "",
                }
            )
    chair_order = {ChairRole.ORDFORANDE: 0, ChairRole.VICE: 1}
    signers.sort(key=lambda s: chair_order.get(ChairRole(s["chair"]), 2) if s["chair"] else 2)
    return {
        "signers": signers,
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

    malomraden = list(goals.malomrade_list(forbund=forbund, year=year))
    # Computed delmål show their result so far (frozen with the rest when the plan is adopted);
    # one call for the whole section, so each kind reads its figures once.
    computed = [d for m in malomraden for d in m.delmal.all() if d.is_computed]
    results = {}
    if computed:
        until = goals.period_until_month(forbund=forbund, year=year, period=goals.DEFAULT_PERIOD)
        results = goals.delmal_results(forbund=forbund, year=year, delmal=computed, until_month=until)
    return {
        "year": year,
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
                        "tidpunkt": d.get_tidpunkt_display() if d.tidpunkt else "",
                        "data_source": d.get_data_source_display() if d.data_source else "",
                        "insats": d.insats.name if d.insats else "",
                        "result": _result(results.get(d.pk)),
                    }
                    for d in m.delmal.all()
                ],
            }
            for m in malomraden
        ],
    }


def _result(result) -> dict[str, Any] | None:
    """A computed delmål's result as JSON: whether it is met (None: cannot be judged) and how."""
    if result is None:
        return None
    return {"met": result.met, "explanation": result.explanation}


# Statuses of an insats that runs (or ran) in a year even when the year has no row for it.
_RUNNING = ("beviljad", "pagaende", "avslutad")
KIND_TITLES = {"individ": "Individinriktade insatser", "struktur": "Strukturinriktade insatser"}
KIND_EMPTY = {
    "individ": "Inga individinriktade insatser har budget för året.",
    "struktur": "Inga strukturinriktade insatser har budget för året.",
}


def _decimal_sum(values) -> str | None:
    """The sum of the non-empty Decimal strings, or None when there are none."""
    present = [Decimal(v) for v in values if v is not None]
    return str(sum(present, Decimal("0.00"))) if present else None


def _int_sum(values) -> int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _why_not_shown(insats, year: int) -> str:
    """Why an insats without a row for ``year`` is left out of the plan, in Swedish ("" = shown)."""
    if insats.status not in _RUNNING:
        return f"status {insats.get_status_display().lower()} och ingen rad för {year}"
    if insats.start_date and insats.start_date.year > year:
        return f"börjar {insats.start_date.year}"
    if insats.end_date and insats.end_date.year < year and not insats.long_term:
        return f"slutade {insats.end_date.year}"
    return ""


def insatser(forbund: Forbund, year: int) -> dict[str, Any]:
    """The year's insatser grouped by kind: what a reader needs, and figures only where set.

    An insats with a row for the year is shown; one without a row is shown too when it runs in
    the year (beviljad, pågående or avslutad, with a period covering the year), since a förbund
    may run an insats without financing it. The rest are listed in ``not_shown`` with the reason,
    so the editor can say why they are missing.
    """
    from apps.insatser import selectors as ins

    groups: dict[str, dict[str, Any]] = {
        kind: {"kind": kind, "title": title, "empty": KIND_EMPTY[kind], "rows": []}
        for kind, title in KIND_TITLES.items()
    }
    not_shown: list[dict[str, str]] = []
    for insats in ins.insats_list(forbund=forbund, year=year):
        year_rows = insats.year_rows_for_list  # type: ignore[attr-defined]  # prefetched to_attr
        row = year_rows[0] if year_rows else None
        if row is None:
            reason = _why_not_shown(insats, year)
            if reason:
                not_shown.append({"name": insats.name, "reason": reason})
                continue
        medparter = [m.name for m in insats.medpart_list] + insats.ovriga_medparter_list  # type: ignore[attr-defined]
        groups[insats.kind]["rows"].append(
            {
                "name": insats.name,
                "kind": insats.get_kind_display(),
                "description": insats.description,
                "malgrupp": insats.malgrupp,
                "verksamhetsagare": insats.owner_name,
                "medparter": medparter,
                "status": insats.get_status_display(),
                "period": insats.period_years,
                "long_term": insats.long_term,
                "external_financing": insats.external_financing,
                "external_financing_amount": insats.external_financing_amount,
                "period_volume": insats.period_volume,
                "has_year_row": row is not None,
                # A zero is shown as nothing, like an empty field: "0 kr" says nothing to a reader.
                "budget_amount": (row.budget_amount or None) if row else None,
                "financed_fte": _json(row.financed_fte) if row and row.financed_fte else None,
                "budgeted_volume": (row.budgeted_volume or None) if row else None,
            }
        )
    result = list(groups.values())
    for group in result:
        group["budget_total"] = _int_sum(r["budget_amount"] for r in group["rows"])
        group["fte_total"] = _decimal_sum(r["financed_fte"] for r in group["rows"])
        group["figure_rows"] = [
            r
            for r in group["rows"]
            if r["budget_amount"] is not None
            or r["financed_fte"] is not None
            or r["budgeted_volume"] is not None
        ]
    return {
        "year": year,
        "groups": result,
        "budget_total": _int_sum(g["budget_total"] for g in result),
        "fte_total": _decimal_sum(g["fte_total"] for g in result),
        "not_shown": not_shown,
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
