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
    selectors.computed_delmal_results(
        forbund=forbund,
        year=year,
        malomraden=list(selectors.malomrade_list(forbund=forbund, year=year)),
        period=selectors.DEFAULT_PERIOD,
    )
