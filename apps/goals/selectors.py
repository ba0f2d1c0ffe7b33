"""Reads of målområden and delmål."""

from __future__ import annotations

from django.db.models import Max, Prefetch, QuerySet

from apps.tenancy.models import Forbund

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


def insats_options(*, forbund: Forbund) -> list[tuple[str, str]]:
    """Choices for "which insats is this delmål for", read once per page."""
    from apps.insatser.models import Insats

    rows = Insats.objects.filter(forbund=forbund).order_by("name").values_list("public_id", "name")
    return [("", "– Förbundets mål (ingen insats) –")] + [(str(pid), name) for pid, name in rows]


def next_malomrade_number(*, forbund: Forbund, year: int) -> int:
    """The number after the highest målområde number of the year (1 for the first)."""
    highest = Malomrade.objects.filter(forbund=forbund, year=year).aggregate(m=Max("number"))["m"]
    return (highest or 0) + 1


def next_delmal_number(*, malomrade: Malomrade) -> int:
    """The number after the highest delmål number of the målområde (1 for the first)."""
    highest = Delmal.objects.filter(malomrade=malomrade).aggregate(m=Max("number"))["m"]
    return (highest or 0) + 1
