"""Pure money arithmetic of the budget: largest-remainder splits and the members' parts.

No database access here. Money is whole kronor (``int``); weights and percentages are ``int`` or
``Decimal``; floats are never used.

Rounding rules (documented because plans must add up to the krona):

* Every split uses the largest-remainder method: each part gets the floor of its exact quota,
  and the kronor left over go one each to the parts with the largest remainders; equal
  remainders are broken by order (the earlier part first). The parts always sum to the whole.
* The driftsbidrag is split 50 / 25 / 25 between the state, the region and the kommuner
  together; the state's part is split in two equal halves (FK and AF) when shown that way;
  the kommuner's 25 % is split by population or by fixed share percentages.
* Långtidsbudget: the state allocation of a following year is the previous year's (already
  rounded) state allocation times (100 + percent) / 100, rounded half up to whole kronor.
  The year's total driftsbidrag is twice the state allocation. Example (Östra Östergötland):
  state 8 641 000 -> 7 776 900 -> 6 999 210 at -10 %, which gives FK, AF and the region
  4 320 500 -> 3 888 450 -> 3 499 605.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

STATE_LABEL = "Staten (via Försäkringskassan)"


def _integer_weights(weights: Sequence[Decimal | int]) -> list[int]:
    """The weights scaled to whole numbers by one common denominator (proportions unchanged)."""
    ratios = [(w, 1) if type(w) is int else Decimal(w).as_integer_ratio() for w in weights]
    common = math.lcm(*(d for _, d in ratios))
    return [n * (common // d) for n, d in ratios]


def largest_remainder(total: int, weights: Sequence[Decimal | int]) -> list[int]:
    """Split ``total`` kronor in proportion to ``weights``; the parts sum exactly to ``total``."""
    if isinstance(total, bool) or not isinstance(total, int):
        raise TypeError("total must be whole kronor (int)")
    if not weights:
        raise ValueError("at least one weight is needed")
    # Whole-number arithmetic: it runs per budget line and month on every follow-up, where
    # Fraction was the cost; quota_i = magnitude * w_i / weight_sum exactly, as before.
    exact_weights = _integer_weights(weights)
    if any(w < 0 for w in exact_weights):
        raise ValueError("weights cannot be negative")
    weight_sum = sum(exact_weights)
    if weight_sum == 0:
        raise ValueError("the weights sum to zero")
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    split = [divmod(magnitude * w, weight_sum) for w in exact_weights]
    parts = [whole for whole, _ in split]
    left = magnitude - sum(parts)
    # Largest remainder first (remainders share the denominator weight_sum, so the numerators
    # compare); equal remainders keep their order (sorted() is stable).
    order = sorted(range(len(split)), key=lambda i: split[i][1], reverse=True)
    for i in order[:left]:
        parts[i] += 1
    return [sign * p for p in parts]


def round_half_up(value: Decimal | Fraction) -> int:
    """A Decimal or Fraction rounded half up (away from zero) to a whole number."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def next_state_allocation(state: int, change_percent: Decimal | int) -> int:
    """The following year's state allocation after a change of ``change_percent`` (rounded half up)."""
    exact = Fraction(state) * (100 + Fraction(Decimal(change_percent))) / 100
    if exact < 0:
        raise ValueError("the state allocation cannot be negative")
    return round_half_up(exact)


@dataclass(frozen=True)
class Share:
    """A kommun's weight in the split of the kommuner's 25 %: population or share percent."""

    name: str
    weight: Decimal | int
    ref: object = None


@dataclass(frozen=True)
class MemberPart:
    """One line of the income split: who pays, how much. ``kind`` is state/fk/af/region/kommun."""

    kind: str
    name: str
    amount: int
    ref: object = None


def total_from_input(*, input_mode: str, input_amount: int) -> int:
    """The year's total driftsbidrag from what the förbund entered (total, or the state's part)."""
    if input_mode == "state":
        return 2 * input_amount
    return input_amount


def member_parts(
    *,
    total: int | None = None,
    state: int | None = None,
    fk_af: bool = False,
    kommuner: Sequence[Share] = (),
    region_name: str = "Regionen",
    fk_name: str = "Försäkringskassan",
    af_name: str = "Arbetsförmedlingen",
    region_ref: object = None,
    fk_ref: object = None,
    af_ref: object = None,
) -> list[MemberPart]:
    """Each member's part of the driftsbidrag; give ``total`` or ``state`` (total = 2 × state).

    The parts come in the order state (one line or FK and AF), region, kommuner. When no kommun
    has a positive weight, the kommuner's 25 % is one line "Kommunerna".
    """
    if (total is None) == (state is None):
        raise ValueError("give exactly one of total and state")
    if total is None:
        assert state is not None  # exactly one of them was given
        total = 2 * state
    if total < 0:
        raise ValueError("the driftsbidrag cannot be negative")
    state_part, region_part, kommun_total = largest_remainder(total, [2, 1, 1])
    parts: list[MemberPart] = []
    if fk_af:
        fk_part, af_part = largest_remainder(state_part, [1, 1])
        parts.append(MemberPart("fk", fk_name, fk_part, fk_ref))
        parts.append(MemberPart("af", af_name, af_part, af_ref))
    else:
        parts.append(MemberPart("state", STATE_LABEL, state_part, fk_ref))
    parts.append(MemberPart("region", region_name, region_part, region_ref))
    weights = [Decimal(s.weight or 0) for s in kommuner]
    if kommuner and sum(weights) > 0:
        for share, amount in zip(kommuner, largest_remainder(kommun_total, weights), strict=True):
            parts.append(MemberPart("kommun", share.name, amount, share.ref))
    else:
        parts.append(MemberPart("kommun", "Kommunerna", kommun_total, None))
    return parts
