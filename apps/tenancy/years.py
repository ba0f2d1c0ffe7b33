"""Which plan year a page shows when the user has not chosen one."""

from __future__ import annotations

from collections.abc import Iterable


def default_year(today_year: int, years_with_data: Iterable[int]) -> int:
    """This year if it has data; else the latest year with data; else this year."""
    years = sorted(set(years_with_data))
    if not years or today_year in years:
        return today_year
    return years[-1]
