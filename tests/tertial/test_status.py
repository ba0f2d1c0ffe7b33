"""Status proposals: rising, falling and range targets, trends (pure arithmetic)."""

from __future__ import annotations

from decimal import Decimal as D

from apps.goals.models import Comparator, IndicatorKind
from apps.tertial.models import GoalStatus
from apps.tertial.status import Target, propose, target_for, trend

RISING = Target(low=D(70))
FALLING = Target(high=D(20))
RANGE = Target(low=D(4), high=D(5))


def test_propose_rising_at_target_is_uppnatt():
    assert propose(target=RISING, value=D(70)) == GoalStatus.UPPNATT


def test_propose_rising_below_but_closer_than_last_tertial_is_pa_vag():
    assert propose(target=RISING, value=D(65), previous=D(60)) == GoalStatus.PA_VAG


def test_propose_rising_below_and_further_than_last_tertial_is_ej_uppnatt():
    assert propose(target=RISING, value=D(55), previous=D(60)) == GoalStatus.EJ_UPPNATT


def test_propose_rising_below_at_year_end_is_ej_uppnatt_even_when_closer():
    assert propose(target=RISING, value=D(65), previous=D(60), final=True) == GoalStatus.EJ_UPPNATT


def test_propose_falling_under_ceiling_is_uppnatt():
    assert propose(target=FALLING, value=D("19.9")) == GoalStatus.UPPNATT


def test_propose_falling_above_ceiling_but_falling_is_pa_vag():
    assert propose(target=FALLING, value=D(24), previous=D(30)) == GoalStatus.PA_VAG


def test_propose_falling_above_ceiling_and_rising_is_ej_uppnatt():
    assert propose(target=FALLING, value=D(24), previous=D(22)) == GoalStatus.EJ_UPPNATT


def test_propose_range_inside_is_uppnatt():
    assert propose(target=RANGE, value=D("4.5")) == GoalStatus.UPPNATT


def test_propose_range_above_coming_down_is_pa_vag():
    assert propose(target=RANGE, value=D(6), previous=D(8)) == GoalStatus.PA_VAG


def test_propose_range_below_without_previous_is_ej_uppnatt():
    assert propose(target=RANGE, value=D(3)) == GoalStatus.EJ_UPPNATT


def test_propose_without_value_cannot_be_assessed():
    assert propose(target=RISING, value=None) == GoalStatus.KAN_INTE_BEDOMAS


def test_propose_without_target_follows_computed_met():
    assert propose(target=None, value=D(1), met=False) == GoalStatus.EJ_UPPNATT


def test_target_for_oka_is_strictly_above_baseline():
    target = target_for(comparator=Comparator.OKA, target_value=None, baseline_value=D(35))
    assert target.direction == "rising"
    assert not target.met(D(35))
    assert target.met(D("35.1"))


def test_target_for_minska_is_falling():
    target = target_for(comparator=Comparator.MINSKA, target_value=None, baseline_value=D(10))
    assert target.direction == "falling"
    assert target.met(D(9))


def test_target_for_interval_is_a_range():
    target = target_for(comparator="intervall", target_value=D(4), baseline_value=None, target_max=D(5))
    assert target.direction == "range"


def test_target_for_costs_within_budget_is_at_most_zero_over():
    target = target_for(
        comparator="",
        target_value=None,
        baseline_value=None,
        indicator_kind=IndicatorKind.KOSTNADER_INOM_BUDGET,
    )
    assert target.met(D(-1)) and not target.met(D(1))


def test_trend_falling_target_lower_value_is_better():
    assert trend(target=FALLING, value=D(18), other=D(22)) == {"arrow": "↓", "word": "bättre"}


def test_trend_rising_target_lower_value_is_worse():
    assert trend(target=RISING, value=D(60), other=D(65)) == {"arrow": "↓", "word": "sämre"}


def test_trend_range_closer_is_better():
    assert trend(target=RANGE, value=D(6), other=D(8)) == {"arrow": "↓", "word": "bättre"}


def test_trend_without_target_is_neutral():
    assert trend(target=None, value=D(6), other=D(5)) == {"arrow": "↑", "word": "högre"}
