"""Reads of målområden and delmål."""

from __future__ import annotations

from typing import Any

from django.db.models import Max, Prefetch, QuerySet

from apps.tenancy.models import Forbund

from . import computed
from .models import Delmal, Malomrade


def malomrade_list(*, forbund: Forbund, year: int) -> QuerySet[Malomrade]:
    """The year's målområden in order, each with its delmål (and their insats) prefetched."""
    delmal = Delmal.objects.filter(forbund=forbund).select_related("insats").order_by("number")
    return (
        Malomrade.objects.filter(forbund=forbund, year=year)
        .prefetch_related(Prefetch("delmal", queryset=delmal))
        .order_by("number")
    )


def goal_years(*, forbund: Forbund) -> list[int]:
    """Every year the förbund has målområden for, oldest first."""
    return list(
        Malomrade.objects.filter(forbund=forbund).order_by("year").values_list("year", flat=True).distinct()
    )


def delmal_for_edit(*, forbund: Forbund) -> QuerySet[Delmal]:
    """Delmål with their målområde, for looking one up by public id."""
    return Delmal.objects.filter(forbund=forbund).select_related("malomrade")


def next_malomrade_number(*, forbund: Forbund, year: int) -> int:
    """The number after the highest målområde number of the year (1 for the first)."""
    highest = Malomrade.objects.filter(forbund=forbund, year=year).aggregate(m=Max("number"))["m"]
    return (highest or 0) + 1


def next_delmal_number(*, malomrade: Malomrade) -> int:
    """The number after the highest delmål number of the målområde (1 for the first)."""
    highest = Delmal.objects.filter(malomrade=malomrade).aggregate(m=Max("number"))["m"]
    return (highest or 0) + 1


# --- Computed delmål (apps.goals.computed: the computing apps register there) --------------

# Periods of the year page's computed results: key -> (label, last month; None = year so far).
PERIODS: dict[str, tuple[str, int | None]] = {
    "hittills": ("Året hittills (till och med senaste månaden med utfall)", None),
    "t1": ("T1 (januari–april)", 4),
    "t2": ("Till och med T2 (januari–augusti)", 8),
    "helar": ("Helår (till och med T3, januari–december)", 12),
}
DEFAULT_PERIOD = "hittills"


def last_utfall_month(*, forbund: Forbund, year: int) -> int:
    """The last month of the year with any utfall (0 when none), from the registered sources."""
    return computed.last_month(forbund=forbund, year=year)


def period_until_month(*, forbund: Forbund, year: int, period: str) -> int:
    """The last month a period covers: a tertial's end, or the last month with utfall for "hittills"."""
    until = PERIODS.get(period, PERIODS[DEFAULT_PERIOD])[1]
    if until is None:
        return last_utfall_month(forbund=forbund, year=year)
    return until


def computed_delmal_results(
    *, forbund: Forbund, year: int, malomraden: list[Malomrade], period: str
) -> tuple[list[Delmal], int | None, dict]:
    """What the goals page computes for its målområden (delmål prefetched), and its warmer
    (``apps.goals.warm``) too: the computed delmål, the last month ``period`` covers (None when
    none is computed) and their results by pk (``delmal_results``)."""
    computed = [d for m in malomraden for d in m.delmal.all() if d.is_computed]
    if not computed:
        return computed, None, {}
    until_month = period_until_month(forbund=forbund, year=year, period=period)
    return (
        computed,
        until_month,
        delmal_results(forbund=forbund, year=year, delmal=computed, until_month=until_month),
    )


def delmal_results(
    *, forbund: Forbund, year: int, delmal: list[Delmal], until_month: int, memo: dict | None = None
) -> dict:
    """Computed results of the computed delmål by pk; each (kind, parameters) is computed once.

    A kind no installed app computes is left out, as a manual delmål is. ``memo`` is shared by
    every computation of the call (pass one in to share it across periods of one page), so the
    figures a kind needs (the budget follow-up) are read once whatever the number of delmål.
    """
    memo = {} if memo is None else memo
    cache: dict[tuple, Any] = {}
    results = {}
    for row in delmal:
        computation = computed.get(row.indicator_kind) if row.is_computed else None
        if computation is None:
            continue
        arguments = computation.arguments(delmal=row, year=year, until_month=until_month)
        if not isinstance(arguments, dict):
            results[row.pk] = arguments  # why the delmål cannot be computed
            continue
        key = (row.indicator_kind, *sorted(arguments.items()))
        if key not in cache:
            cache[key] = computation.compute(forbund=forbund, memo=memo, **arguments)
        results[row.pk] = cache[key]
    return results
