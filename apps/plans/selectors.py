"""Reads for starting a new plan year: what a year holds and what would be copied from it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from apps.goals.models import Delmal, Malomrade
from apps.insatser.models import InsatsStatus, InsatsYear
from apps.members.models import Styrelseledamot, Styrelsemote
from apps.tenancy.models import Forbund

RUNNING_STATUSES = (InsatsStatus.BEVILJAD, InsatsStatus.PAGAENDE)


@dataclass
class YearCounts:
    """How many rows of each copied kind a year has."""

    malomraden: int = 0
    delmal: int = 0
    insats_years: int = 0
    meetings: int = 0

    @property
    def is_empty(self) -> bool:
        """True when the year has none of the copied kinds."""
        return not (self.malomraden or self.delmal or self.insats_years or self.meetings)


@dataclass
class YearPreview:
    """What year_start_next would copy from ``from_year``, and whether ``to_year`` is free."""

    from_year: int
    to_year: int
    source: YearCounts
    running_insats_years: int
    target: YearCounts
    continuing_seats: int
    expiring_seats: list[Styrelseledamot] = field(default_factory=list)


def data_years(*, forbund: Forbund) -> list[int]:
    """Every year with målområden, insats year rows or board meetings, newest first."""
    years: set[int] = set()
    years.update(Malomrade.objects.filter(forbund=forbund).values_list("year", flat=True).distinct())
    years.update(InsatsYear.objects.filter(forbund=forbund).values_list("year", flat=True).distinct())
    years.update(Styrelsemote.objects.filter(forbund=forbund).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def year_counts(*, forbund: Forbund, year: int) -> YearCounts:
    """The number of målområden, delmål, insats year rows and board meetings of a year."""
    return YearCounts(
        malomraden=Malomrade.objects.filter(forbund=forbund, year=year).count(),
        delmal=Delmal.objects.filter(forbund=forbund, malomrade__year=year).count(),
        insats_years=InsatsYear.objects.filter(forbund=forbund, year=year).count(),
        meetings=Styrelsemote.objects.filter(forbund=forbund, year=year).count(),
    )


def running_insats_years(*, forbund: Forbund, from_year: int) -> QuerySet[InsatsYear]:
    """Year rows of ``from_year`` of insatser still running on 1 January the year after."""
    next_start = datetime.date(from_year + 1, 1, 1)
    return (
        InsatsYear.objects.filter(
            forbund=forbund,
            year=from_year,
            insats__status__in=RUNNING_STATUSES,
        )
        .filter(
            Q(insats__long_term=True) | Q(insats__end_date__isnull=True) | Q(insats__end_date__gte=next_start)
        )
        .select_related("insats")
        .order_by("insats__name")
    )


def expiring_seats(*, forbund: Forbund, year: int) -> QuerySet[Styrelseledamot]:
    """Board seats whose mandate covers part of ``year`` and ends within it."""
    return (
        Styrelseledamot.objects.filter(
            forbund=forbund,
            mandate_start__lte=datetime.date(year, 12, 31),
            mandate_end__gte=datetime.date(year, 1, 1),
            mandate_end__lte=datetime.date(year, 12, 31),
        )
        .select_related("medlem")
        .order_by("mandate_end", "medlem__position", "medlem__name", "person_name")
    )


def continuing_seat_count(*, forbund: Forbund, year: int) -> int:
    """Board seats whose mandate covers ``year`` and goes on into the next year."""
    return Styrelseledamot.objects.filter(
        forbund=forbund,
        mandate_start__lte=datetime.date(year, 12, 31),
        mandate_end__gte=datetime.date(year + 1, 1, 1),
    ).count()


def year_preview(*, forbund: Forbund, from_year: int) -> YearPreview:
    """Everything the "start next year" page shows for ``from_year``, in a fixed number of queries."""
    return YearPreview(
        from_year=from_year,
        to_year=from_year + 1,
        source=year_counts(forbund=forbund, year=from_year),
        running_insats_years=running_insats_years(forbund=forbund, from_year=from_year).count(),
        target=year_counts(forbund=forbund, year=from_year + 1),
        continuing_seats=continuing_seat_count(forbund=forbund, year=from_year),
        expiring_seats=list(expiring_seats(forbund=forbund, year=from_year)),
    )
