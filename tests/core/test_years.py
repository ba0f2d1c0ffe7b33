"""Plan years: the bounds defined once and today's year in Stockholm."""

from __future__ import annotations

import datetime

from django.utils import timezone

from apps.core.years import MAX_YEAR, MIN_YEAR, in_bounds, parse_year, this_year


def test_this_year_is_stockholms(settings, monkeypatch):
    # 23:30 UTC on New Year's Eve is already the new year in Stockholm.
    moment = datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert this_year() == 2026


def test_in_bounds_edges():
    assert in_bounds(MIN_YEAR) and in_bounds(MAX_YEAR)
    assert not in_bounds(MIN_YEAR - 1) and not in_bounds(MAX_YEAR + 1)


def test_parse_year_falls_back_on_bad_input():
    assert parse_year("2026", default=2020) == 2026
    assert parse_year("inte-ett-ar", default=2020) == 2020
    assert parse_year(None, default=2020) == 2020
    assert parse_year(str(MAX_YEAR + 1), default=2020) == 2020


def test_year_validators_refuse_outside_bounds_in_swedish():
    import pytest
    from django.core.exceptions import ValidationError

    from apps.core.years import year_validators

    low, high = year_validators()
    low(MIN_YEAR)
    high(MAX_YEAR)
    with pytest.raises(ValidationError, match="Ange ett år från 2000."):
        low(MIN_YEAR - 1)
    with pytest.raises(ValidationError, match="Ange ett år till och med 2100."):
        high(MAX_YEAR + 1)
