"""Status proposals for delmål with a value: pure arithmetic, no database.

A target is a range with an open or closed lower and upper bound:

* rising ("minst 70 %", "öka jämfört med 2022"): only a lower bound (strict for öka);
* falling ("högst 20 %", "minska jämfört med 2022", costs within budget): only an upper bound;
* range ("lika med 4 steg", or between two values): both bounds.

The proposal: a value inside the range is *uppnått*. Outside it, the report for a tertial
before the year's end says *på väg* when the value has come closer to the range since the
previous tertial, else *ej uppnått*; at the year's end (T3) a value outside is *ej uppnått*.
With no value the status is *kan inte bedömas*.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from apps.goals.models import Comparator, IndicatorKind

from .models import GoalStatus


@dataclass(frozen=True)
class Target:
    """Where the value should be: ``low`` (≥, or > when strict) and/or ``high`` (≤, or < when strict)."""

    low: Decimal | None = None
    high: Decimal | None = None
    low_strict: bool = False
    high_strict: bool = False

    @property
    def direction(self) -> str:
        """ "rising", "falling" or "range"."""
        if self.low is not None and self.high is not None:
            return "range"
        return "rising" if self.low is not None else "falling"

    def met(self, value: Decimal) -> bool:
        """True when the value lies inside the target."""
        if self.low is not None and (value <= self.low if self.low_strict else value < self.low):
            return False
        return self.high is None or (value < self.high if self.high_strict else value <= self.high)

    def distance(self, value: Decimal) -> Decimal:
        """How far the value lies outside the target (0 inside or on a strict bound)."""
        if self.low is not None and value < self.low:
            return self.low - value
        if self.high is not None and value > self.high:
            return value - self.high
        return Decimal(0)


def target_for(
    *,
    comparator: str,
    target_value: Decimal | None,
    baseline_value: Decimal | None,
    indicator_kind: str = IndicatorKind.MANUAL,
    target_max: Decimal | None = None,
) -> Target | None:
    """The target of a delmål, or None when it has none the product can compare with."""
    if indicator_kind == IndicatorKind.KOSTNADER_INOM_BUDGET:
        # The computed value is utfall minus budget: at most 0 kronor over.
        return Target(high=Decimal(0))
    if target_max is not None and target_value is not None:
        return Target(low=target_value, high=target_max)
    if comparator == Comparator.MINST and target_value is not None:
        return Target(low=target_value)
    if comparator == Comparator.HOGST and target_value is not None:
        return Target(high=target_value)
    if comparator == Comparator.LIKA and target_value is not None:
        return Target(low=target_value, high=target_value)
    if comparator == Comparator.OKA and baseline_value is not None:
        return Target(low=baseline_value, low_strict=True)
    if comparator == Comparator.MINSKA and baseline_value is not None:
        return Target(high=baseline_value, high_strict=True)
    if indicator_kind == IndicatorKind.EGET_KAPITAL_ANDEL and target_value is not None:
        return Target(high=target_value)
    return None


def propose(
    *,
    target: Target | None,
    value: Decimal | None,
    previous: Decimal | None = None,
    final: bool = False,
    met: bool | None = None,
) -> str:
    """The proposed GoalStatus for a value against a target (``met`` decides when there is no target)."""
    if value is None and met is None:
        return GoalStatus.KAN_INTE_BEDOMAS
    if target is None or value is None:
        if met is None:
            return GoalStatus.KAN_INTE_BEDOMAS
        return GoalStatus.UPPNATT if met else GoalStatus.EJ_UPPNATT
    if target.met(value):
        return GoalStatus.UPPNATT
    if not final and previous is not None and target.distance(value) < target.distance(previous):
        return GoalStatus.PA_VAG
    return GoalStatus.EJ_UPPNATT


def trend(*, target: Target | None, value: Decimal | None, other: Decimal | None) -> dict | None:
    """The change from ``other`` to ``value``: an arrow for the number and a word for the judgement."""
    if value is None or other is None:
        return None
    arrow = "↑" if value > other else "↓" if value < other else "→"
    if value == other:
        return {"arrow": arrow, "word": "oförändrat"}
    if target is None:
        return {"arrow": arrow, "word": "högre" if value > other else "lägre"}
    if target.direction == "rising":
        better = value > other
    elif target.direction == "falling":
        better = value < other
    else:
        closer, before = target.distance(value), target.distance(other)
        if closer == before:
            return {"arrow": arrow, "word": "oförändrat"}
        better = closer < before
    return {"arrow": arrow, "word": "bättre" if better else "sämre"}
