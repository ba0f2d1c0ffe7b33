"""Pure allocation arithmetic: largest remainder and the golden figures of the seeds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.budgets.allocation import (
    STATE_LABEL,
    Share,
    largest_remainder,
    member_parts,
    next_state_allocation,
    total_from_input,
)

OSTRA_SEED_KOMMUN_PARTS = [501_227, 3_307_880, 335_991, 175_403]  # add up to 4 320 501


def test_largest_remainder_sums_exactly():
    assert largest_remainder(100, [1, 1, 1]) == [34, 33, 33]


def test_largest_remainder_breaks_ties_by_order():
    assert largest_remainder(1, [1, 1]) == [1, 0]
    assert largest_remainder(2, [1, 1, 1]) == [1, 1, 0]


def test_largest_remainder_gives_leftover_to_largest_remainder():
    # quotas 3.3, 3.3, 3.4 -> the third has the largest remainder
    assert largest_remainder(10, [Decimal("33"), Decimal("33"), Decimal("34")]) == [3, 3, 4]


def test_largest_remainder_refuses_float_total():
    with pytest.raises(TypeError):
        largest_remainder(10.0, [1])  # type: ignore[arg-type]


def test_largest_remainder_refuses_zero_weights():
    with pytest.raises(ValueError):
        largest_remainder(10, [0, 0])


def test_ostra_2023_kommun_parts_add_up_to_quarter():
    kommuner = [Share(f"K{i}", w) for i, w in enumerate(OSTRA_SEED_KOMMUN_PARTS)]
    parts = member_parts(total=17_282_000, fk_af=True, kommuner=kommuner)
    kommun = [p.amount for p in parts if p.kind == "kommun"]
    assert sum(OSTRA_SEED_KOMMUN_PARTS) == 4_320_501
    assert sum(kommun) == 4_320_500
    assert [p.amount for p in parts if p.kind != "kommun"] == [4_320_500, 4_320_500, 4_320_500]
    assert sum(p.amount for p in parts) == 17_282_000


def test_ostra_2023_kommun_parts_deviate_at_most_one_krona_from_seed():
    kommuner = [Share(f"K{i}", w) for i, w in enumerate(OSTRA_SEED_KOMMUN_PARTS)]
    parts = [p.amount for p in member_parts(total=17_282_000, kommuner=kommuner) if p.kind == "kommun"]
    assert all(abs(a - b) <= 1 for a, b in zip(parts, OSTRA_SEED_KOMMUN_PARTS, strict=True))


def test_vastra_2026_fixed_shares_give_exact_parts():
    shares = ["48.1", "31.7", "8.3", "6.1", "5.8"]
    kommuner = [Share(f"K{i}", Decimal(s)) for i, s in enumerate(shares)]
    parts = member_parts(total=8_584_000, fk_af=False, kommuner=kommuner)
    assert parts[0].name == STATE_LABEL
    assert parts[0].amount == 4_292_000
    assert parts[1].kind == "region" and parts[1].amount == 2_146_000
    assert [p.amount for p in parts[2:]] == [1_032_226, 680_282, 178_118, 130_906, 124_468]


def test_solleftea_2024_four_parts_of_708000():
    parts = member_parts(total=2_832_000, fk_af=True, kommuner=[Share("Sollefteå kommun", 19_000)])
    assert [p.amount for p in parts] == [708_000, 708_000, 708_000, 708_000]
    assert [p.kind for p in parts] == ["fk", "af", "region", "kommun"]


def test_state_input_doubles_to_total():
    assert total_from_input(input_mode="state", input_amount=1_416_000) == 2_832_000
    assert total_from_input(input_mode="total", input_amount=2_832_000) == 2_832_000
    assert member_parts(state=1_416_000, fk_af=True) == member_parts(total=2_832_000, fk_af=True)


def test_member_parts_without_kommuner_is_one_line():
    parts = member_parts(total=400)
    assert parts[-1].name == "Kommunerna" and parts[-1].amount == 100


def test_member_parts_odd_total_still_adds_up():
    parts = member_parts(total=1_000_003, fk_af=True, kommuner=[Share("A", 1), Share("B", 2)])
    assert sum(p.amount for p in parts) == 1_000_003


def test_long_term_ostra_minus_ten_percent():
    state_2023 = 2 * 4_320_500
    state_2024 = next_state_allocation(state_2023, Decimal("-10"))
    state_2025 = next_state_allocation(state_2024, Decimal("-10"))
    parts_2024 = member_parts(state=state_2024, fk_af=True)
    parts_2025 = member_parts(state=state_2025, fk_af=True)
    assert [p.amount for p in parts_2024[:3]] == [3_888_450, 3_888_450, 3_888_450]
    assert [p.amount for p in parts_2025[:3]] == [3_499_605, 3_499_605, 3_499_605]


def test_next_state_allocation_rounds_half_up():
    assert next_state_allocation(5, Decimal("-10")) == 5  # 4.5 -> 5
    assert next_state_allocation(15, Decimal("-10")) == 14  # 13.5 -> 14
    assert next_state_allocation(1000, Decimal("2.5")) == 1025


def _fraction_largest_remainder(total, weights):
    """The former Fraction implementation, kept here as the reference the integer one must match."""
    from fractions import Fraction

    exact = [Fraction(Decimal(w)) for w in weights]
    weight_sum = sum(exact)
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    quotas = [magnitude * w / weight_sum for w in exact]
    parts = [q.numerator // q.denominator for q in quotas]
    order = sorted(range(len(quotas)), key=lambda i: quotas[i] - parts[i], reverse=True)
    for i in order[: magnitude - sum(parts)]:
        parts[i] += 1
    return [sign * p for p in parts]


_weights = st.lists(
    st.one_of(
        st.integers(min_value=0, max_value=10**7),
        st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
        st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=30,
).filter(lambda ws: sum(Decimal(w) for w in ws) > 0)


@given(total=st.integers(min_value=-(10**10), max_value=10**10), weights=_weights)
def test_largest_remainder_matches_the_fraction_reference(total, weights):
    assert largest_remainder(total, weights) == _fraction_largest_remainder(total, weights)


def test_largest_remainder_mixed_decimal_places_match_the_fraction_reference():
    weights = [Decimal("33.3"), Decimal("33.33"), 33, Decimal("0.37")]
    assert largest_remainder(1_000_001, weights) == _fraction_largest_remainder(1_000_001, weights)
