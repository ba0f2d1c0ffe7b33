"""Reads of målområden and delmål."""

from __future__ import annotations

from django.db.models import Max, Prefetch, QuerySet

from apps.tenancy.models import Forbund

from .models import Delmal, IndicatorKind, Malomrade


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


# --- Computed delmål (apps.budgets.indicators) ---------------------------------------------

# Periods of the year page's computed results: key -> (label, last month; None = year so far).
PERIODS: dict[str, tuple[str, int | None]] = {
    "hittills": ("Året hittills (till och med senaste månaden med utfall)", None),
    "t1": ("T1 (januari–april)", 4),
    "t2": ("Till och med T2 (januari–augusti)", 8),
    "helar": ("Helår (till och med T3, januari–december)", 12),
}
DEFAULT_PERIOD = "hittills"
MONTH_NAMES = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)

# Delmål kind -> key in apps.budgets.indicators.INDICATORS.
INDICATOR_KEYS = {
    IndicatorKind.KOSTNADER_INOM_BUDGET: "costs_within_budget",
    IndicatorKind.EGET_KAPITAL_ANDEL: "equity_ratio",
}


def last_utfall_month(*, forbund: Forbund, year: int) -> int:
    """The last month of the year with any utfall (0 when none), as the follow-up counts it (one query)."""
    from apps.budgets.utfall import selectors as utfall_selectors

    cost, income = utfall_selectors.utfall_by_line(forbund=forbund, year=year)
    used = [m for values in (*cost.values(), *income.values()) for m, v in enumerate(values, 1) if v]
    return max(used, default=0)


def period_until_month(*, forbund: Forbund, year: int, period: str) -> int:
    """The last month a period covers: a tertial's end, or the last month with utfall for "hittills"."""
    until = PERIODS.get(period, PERIODS[DEFAULT_PERIOD])[1]
    if until is None:
        return last_utfall_month(forbund=forbund, year=year)
    return until


def delmal_results(*, forbund: Forbund, year: int, delmal: list[Delmal], until_month: int) -> dict:
    """Computed results of the computed delmål by pk; each (kind, parameters) is computed once."""
    from apps.budgets.indicators import INDICATORS, IndicatorResult

    cache: dict[tuple, IndicatorResult] = {}
    results = {}
    for row in delmal:
        if not row.is_computed:
            continue
        if row.indicator_kind == IndicatorKind.KOSTNADER_INOM_BUDGET:
            if until_month == 0:
                results[row.pk] = IndicatorResult(None, None, f"Det finns inget utfall för {year} ännu.")
                continue
            params = {"forbund": forbund, "year": year, "until_month": until_month}
        else:
            if row.target_value is None:
                results[row.pk] = IndicatorResult(None, None, "Delmålet saknar målvärde i procent.")
                continue
            params = {"forbund": forbund, "year": year, "max_percent": row.target_value}
        key = (row.indicator_kind, *sorted((k, v) for k, v in params.items() if k != "forbund"))
        if key not in cache:
            function = INDICATORS[INDICATOR_KEYS[IndicatorKind(row.indicator_kind)]][1]
            cache[key] = function(**params)
        results[row.pk] = cache[key]
    return results
