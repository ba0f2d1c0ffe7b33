"""Reads of members, board, bodies and the board's year plan."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, QuerySet

from apps.tenancy.models import Forbund

from .models import Medlem, Organ, OrganMedlem, SeatKind, Styrelseledamot, Styrelsemote


def medlem_list(*, forbund: Forbund) -> QuerySet[Medlem]:
    """The förbund's members in their printed order."""
    return Medlem.objects.filter(forbund=forbund).order_by("position", "name")


def mandate_overlaps(start: datetime.date | None, end: datetime.date | None) -> Q:
    """Seats whose mandate overlaps start..end; a missing date is open-ended on that side."""
    q = Q()
    if end is not None:
        q &= Q(mandate_start__isnull=True) | Q(mandate_start__lte=end)
    if start is not None:
        q &= Q(mandate_end__isnull=True) | Q(mandate_end__gte=start)
    return q


def styrelseledamot_list(*, forbund: Forbund) -> QuerySet[Styrelseledamot]:
    """Every board seat, current or not, with its member, newest mandate first per member."""
    return (
        Styrelseledamot.objects.filter(forbund=forbund)
        .select_related("medlem")
        .order_by(
            F("mandate_end").desc(nulls_first=True), "medlem__position", "medlem__name", "seat", "person_name"
        )
    )


@dataclass
class BoardRow:
    """One member's seats on the current board."""

    medlem: Medlem
    ledamoter: list[Styrelseledamot] = field(default_factory=list)
    ersattare: list[Styrelseledamot] = field(default_factory=list)


def current_board(*, forbund: Forbund, on: datetime.date) -> list[BoardRow]:
    """The board on a date, one row per represented member in the members' printed order."""
    seats = (
        Styrelseledamot.objects.filter(mandate_overlaps(on, on), forbund=forbund)
        .select_related("medlem")
        .order_by("medlem__position", "medlem__name", "person_name")
    )
    rows: dict[int, BoardRow] = {}
    for seat in seats:
        row = rows.setdefault(seat.medlem_id, BoardRow(medlem=seat.medlem))
        (row.ledamoter if seat.seat == SeatKind.LEDAMOT else row.ersattare).append(seat)
    return list(rows.values())


def organ_list(*, forbund: Forbund) -> QuerySet[Organ]:
    """The förbund's bodies with their members and the organisations they represent."""
    return (
        Organ.objects.filter(forbund=forbund)
        .order_by("position", "name")
        .prefetch_related(
            Prefetch(
                "ledamoter",
                queryset=OrganMedlem.objects.filter(forbund=forbund).select_related("medlem"),
            )
        )
    )


def organ_with_members(*, forbund: Forbund, organ: Organ) -> Organ:
    """One body, freshly read with its members."""
    return organ_list(forbund=forbund).get(pk=organ.pk)


def styrelsemote_list(*, forbund: Forbund, year: int) -> QuerySet[Styrelsemote]:
    """The board meetings planned for a year, in date order (month-only meetings in their month)."""
    return Styrelsemote.objects.filter(forbund=forbund, year=year)


def styrelsemote_years(*, forbund: Forbund) -> list[int]:
    """The years that have a board meeting plan."""
    return list(
        Styrelsemote.objects.filter(forbund=forbund)
        .order_by("year")
        .values_list("year", flat=True)
        .distinct()
    )
