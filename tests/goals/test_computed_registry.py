"""The registry of computed delmål kinds: goals computes only what an installed app registers."""

from __future__ import annotations

import pytest

from apps.goals import computed, selectors
from apps.goals.models import IndicatorKind

from .factories import DelmalFactory, MalomradeFactory


@pytest.fixture
def costs_unregistered():
    """The budgets app's costs kind taken out for one test, then put back as it was."""
    saved = computed.get(IndicatorKind.KOSTNADER_INOM_BUDGET)
    computed.unregister(IndicatorKind.KOSTNADER_INOM_BUDGET)
    yield
    computed.register(saved.kind, arguments=saved.arguments, compute=saved.compute)


def test_budgets_registers_both_computed_kinds():
    assert computed.get(IndicatorKind.KOSTNADER_INOM_BUDGET) is not None
    assert computed.get(IndicatorKind.EGET_KAPITAL_ANDEL) is not None
    assert computed.get(IndicatorKind.MANUAL) is None


def test_delmal_of_an_unregistered_kind_gets_no_result(forbund_a, in_scope, costs_unregistered):
    with in_scope(forbund_a):
        malomrade = MalomradeFactory(forbund=forbund_a, year=2023)
        delmal = DelmalFactory(
            forbund=forbund_a, malomrade=malomrade, indicator_kind=IndicatorKind.KOSTNADER_INOM_BUDGET
        )
        results = selectors.delmal_results(forbund=forbund_a, year=2023, delmal=[delmal], until_month=4)
    assert results == {}


def test_last_month_is_the_latest_of_every_source(forbund_a, monkeypatch):
    monkeypatch.setattr(computed, "_last_month_sources", [lambda **kw: 4, lambda **kw: 7])
    assert computed.last_month(forbund=forbund_a, year=2023) == 7


def test_last_month_without_sources_is_zero(forbund_a, monkeypatch):
    monkeypatch.setattr(computed, "_last_month_sources", [])
    assert computed.last_month(forbund=forbund_a, year=2023) == 0
