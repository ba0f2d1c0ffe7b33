"""The delmål kinds budgets computes (apps.goals.computed), registered from BudgetsConfig.ready().

Costs within the budget need utfall up to a month; eget kapital needs the delmål's target in
percent. The functions are looked up in ``indicators.INDICATORS`` at call time, so that
registry stays the one place that names them.
"""

from __future__ import annotations

from typing import Any

from apps.goals import computed
from apps.goals.models import IndicatorKind
from apps.tenancy.models import Forbund

from . import indicators
from .utfall import selectors as utfall_selectors


def costs_within_budget_arguments(*, delmal, year: int, until_month: int) -> dict[str, Any] | Any:
    """Computed up to ``until_month``; nothing to compute before the first month with utfall."""
    if until_month == 0:
        return indicators.IndicatorResult(None, None, f"Det finns inget utfall för {year} ännu.")
    return {"year": year, "until_month": until_month}


def equity_ratio_arguments(*, delmal, year: int, until_month: int) -> dict[str, Any] | Any:
    """Computed against the delmål's target, a percentage of the driftsbidrag."""
    if delmal.target_value is None:
        return indicators.IndicatorResult(None, None, "Delmålet saknar målvärde i procent.")
    return {"year": year, "max_percent": delmal.target_value}


def _indicator(key: str):
    def compute(**kwargs):
        return indicators.INDICATORS[key][1](**kwargs)

    return compute


def last_utfall_month(*, forbund: Forbund, year: int) -> int:
    """The last month of the year with any utfall (0 when none), as the follow-up counts it (one query)."""
    cost, income = utfall_selectors.utfall_by_line(forbund=forbund, year=year)
    used = [m for values in (*cost.values(), *income.values()) for m, v in enumerate(values, 1) if v]
    return max(used, default=0)


def register() -> None:
    """Register the computed kinds and the utfall months with apps.goals."""
    computed.register(
        IndicatorKind.KOSTNADER_INOM_BUDGET,
        arguments=costs_within_budget_arguments,
        compute=_indicator("costs_within_budget"),
    )
    computed.register(
        IndicatorKind.EGET_KAPITAL_ANDEL, arguments=equity_ratio_arguments, compute=_indicator("equity_ratio")
    )
    computed.register_last_month(last_utfall_month)
