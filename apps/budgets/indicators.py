"""Data-driven delmål indicators computed from the budget and utfall, for apps.goals to use.

Each function is pure reading: it returns an IndicatorResult (met or not, the value, and a
Swedish explanation of how it was computed). ``INDICATORS`` registers them by key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from apps.core.formatting import format_kronor, format_percent
from apps.tenancy.models import Forbund

from .utfall import selectors as utfall_selectors


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator's outcome: ``met`` is None when it cannot be computed."""

    met: bool | None
    value: Decimal | int | None
    explanation: str


def _followup(*, forbund: Forbund, year: int, memo: dict | None):
    """The year's follow-up, computed once per ``memo`` (one request's computed delmål share it)."""
    if memo is None:
        return utfall_selectors.followup(forbund=forbund, year=year)
    key = ("budgets.followup", forbund.pk, year)
    if key not in memo:
        memo[key] = utfall_selectors.followup(forbund=forbund, year=year)
    return memo[key]


def indicator_costs_within_budget(
    *, forbund: Forbund, year: int, until_month: int, memo: dict | None = None
) -> IndicatorResult:
    """ "Kostnaderna överstiger inte budgetramen": utfall ≤ budget for January–``until_month``."""
    if not 1 <= until_month <= 12:
        raise ValueError("until_month must be 1–12")
    follow = _followup(forbund=forbund, year=year, memo=memo)
    if follow is None:
        return IndicatorResult(None, None, f"Det finns ingen budget för {year}.")
    total = follow.cost_total
    budget = sum(total.months_budget[:until_month])
    utfall = sum(total.months_utfall[:until_month])
    period = f"januari–{utfall_selectors.LONG_MONTHS[until_month - 1]} {year}"
    met = utfall <= budget
    verdict = "överstiger inte" if met else "överstiger"
    return IndicatorResult(
        met,
        utfall - budget,
        f"Kostnaderna {period} är {format_kronor(utfall)} mot budgeten {format_kronor(budget)} för perioden "
        f"(årsbudgeten {format_kronor(total.annual)} fördelad per månad). De {verdict} budgetramen.",
    )


def indicator_equity_ratio(
    *, forbund: Forbund, year: int, max_percent: Decimal | int, memo: dict | None = None
) -> IndicatorResult:
    """ "Eget kapital högst X % av driftsbidraget": projected closing equity over the driftsbidrag."""
    follow = _followup(forbund=forbund, year=year, memo=memo)
    if follow is None:
        return IndicatorResult(None, None, f"Det finns ingen budget för {year}.")
    summary = follow.summary
    if summary.driftsbidrag <= 0:
        return IndicatorResult(None, None, f"Budgeten för {year} har inget driftsbidrag.")
    # Closing equity with the costs' full-year prognosis in place of the budgeted costs.
    result = summary.income_total - follow.cost_total.prognosis
    closing = summary.eget_kapital_opening - summary.eget_kapital_use + result
    ratio = utfall_selectors.percent(closing, summary.driftsbidrag)
    met = closing * 100 <= Decimal(max_percent) * summary.driftsbidrag
    verdict = "högst" if met else "mer än"
    return IndicatorResult(
        met,
        ratio,
        f"Eget kapital vid årets slut beräknas till {format_kronor(closing)} "
        f"(ingående {format_kronor(summary.eget_kapital_opening)}, "
        f"använt {format_kronor(summary.eget_kapital_use)}, "
        f"prognos för kostnaderna {format_kronor(follow.cost_total.prognosis)}). "
        f"Det är {format_percent(ratio)} av driftsbidraget {format_kronor(summary.driftsbidrag)}, "
        f"{verdict} {format_percent(Decimal(max_percent))}.",
    )


INDICATORS: dict[str, tuple[str, Callable[..., IndicatorResult]]] = {
    "costs_within_budget": ("Kostnaderna överstiger inte budgetramen", indicator_costs_within_budget),
    "equity_ratio": ("Eget kapital högst X % av driftsbidraget", indicator_equity_ratio),
}
