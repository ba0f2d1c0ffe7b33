"""What the follow-up's pages read most, computed after the förbund's data changes
(``apps.tenancy.datacache``, "Warming"): the statistics page as a plan reader first opens it, this
year so far over every insats, figures and rendered tables. The tertial app warms the year of a
report being drafted too (in January the T3 report looks back on last year)."""

from __future__ import annotations

from django.utils import timezone

from apps.tenancy import datacache
from apps.tenancy.models import Forbund

from . import selectors


def warm_statistics_year(forbund: Forbund, year: int) -> None:
    """The statistics page of ``year`` as a plan reader first opens it (call inside the scope)."""
    from .views import statistics_context  # views import forms and templates: only when warming

    statistics_context(
        forbund=forbund,
        year=year,
        period="hittills",
        insatser=selectors.statistics_insatser(forbund=forbund, year=year),
        reveal=False,
        focus=None,
        version=datacache.data_version(forbund),
    )


@datacache.warmer("followup-statistics")
def warm_statistics(forbund: Forbund) -> None:
    warm_statistics_year(forbund, timezone.localdate().year)
