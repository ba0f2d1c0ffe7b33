"""What the goals page reads most, computed after the förbund's data changes
(``apps.tenancy.datacache``, "Warming"): the computed delmål of the year the page opens on, for
the year so far."""

from __future__ import annotations

from apps.core.years import default_year, this_year
from apps.tenancy import datacache
from apps.tenancy.models import Forbund

from . import selectors


@datacache.warmer("goals-computed-delmal")
def warm_computed_delmal(forbund: Forbund) -> None:
    year = default_year(this_year(), selectors.goal_years(forbund=forbund))
    areas = selectors.malomrade_list(forbund=forbund, year=year)
    computed = [d for m in areas for d in m.delmal.all() if d.is_computed]
    if computed:
        period = selectors.DEFAULT_PERIOD
        until_month = selectors.period_until_month(forbund=forbund, year=year, period=period)
        selectors.delmal_results(forbund=forbund, year=year, delmal=computed, until_month=until_month)
