"""Small-cell protection: no hidden count can be derived from what a table shows (property tests)."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.followup.suppression import SECONDARY_TEXT, SMALL_TEXT, WITHHELD_TEXT, protect_list, protect_table

VALUES = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12])


def _matrices(max_rows=3, max_cols=3):
    return st.integers(1, max_rows).flatmap(
        lambda rows: st.integers(1, max_cols).flatmap(
            lambda cols: st.lists(
                st.lists(VALUES, min_size=cols, max_size=cols), min_size=rows, max_size=rows
            )
        )
    )


def _domain(cell, true, window):
    """Values a hidden cell may take as its mark allows, near the true value.

    Only a window around the true value is searched: finding two consistent values inside it
    proves the cell cannot be derived (the full set of consistent tables is larger still).
    """
    if not cell.hidden:
        return [cell.value]
    near = range(max(0, true - window), true + window + 1)
    if cell.text == SMALL_TEXT:
        return [v for v in near if 1 <= v <= 4]
    assert cell.text == SECONDARY_TEXT
    return [v for v in near if v == 0 or v >= 5]


def _fits(value, cell):
    """Whether a derived total agrees with how the table shows it ("–": withheld, binds nothing)."""
    if cell.text == WITHHELD_TEXT:
        return True
    if not cell.hidden:
        return value == cell.value
    if cell.text == SMALL_TEXT:
        return 1 <= value <= 4
    return value == 0 or value >= 5


def _consistent_tables(shown, matrix, window):
    """Every matrix near the true one a reader could believe, given the shown table (brute force)."""
    rows, cols = len(shown.cells), len(shown.cells[0])
    domains = [
        _domain(cell, matrix[i][j], window) for i, row in enumerate(shown.cells) for j, cell in enumerate(row)
    ]
    for flat in itertools.product(*domains):
        matrix = [list(flat[i * cols : (i + 1) * cols]) for i in range(rows)]
        if not all(_fits(sum(matrix[i]), shown.row_totals[i]) for i in range(rows)):
            continue
        if not all(_fits(sum(r[j] for r in matrix), shown.col_totals[j]) for j in range(cols)):
            continue
        if not _fits(sum(map(sum, matrix)), shown.total):
            continue
        yield matrix


def _check_underivable(matrix, window):
    shown = protect_table(matrix)
    hidden = [(i, j) for i, row in enumerate(shown.cells) for j, cell in enumerate(row) if cell.hidden]
    if not hidden and not shown.total.hidden:
        return
    seen = {pos: set() for pos in hidden}
    row_seen = {i: set() for i, c in enumerate(shown.row_totals) if c.hidden and c.text != WITHHELD_TEXT}
    total_seen = set()
    for candidate in _consistent_tables(shown, matrix, window):
        for i, j in hidden:
            seen[(i, j)].add(candidate[i][j])
        for i in row_seen:
            row_seen[i].add(sum(candidate[i]))
        total_seen.add(sum(map(sum, candidate)))
    assert matrix in list(_consistent_tables(shown, matrix, window))
    for pos, values in seen.items():
        assert len(values) >= 2, f"cell {pos} of {matrix} derivable as {values}"
    for i, values in row_seen.items():
        assert len(values) >= 2, f"row total {i} of {matrix} derivable"
    if shown.total.hidden:
        assert len(total_seen) >= 2


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_matrices(3, 3))
def test_protect_table_no_hidden_cell_can_be_derived(matrix):
    _check_underivable(matrix, window=1)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_matrices(2, 3))
def test_protect_table_no_hidden_cell_can_be_derived_wider_search(matrix):
    _check_underivable(matrix, window=3)


@settings(max_examples=200, deadline=None)
@given(st.lists(VALUES, min_size=1, max_size=6))
def test_protect_list_no_hidden_value_can_be_derived(values):
    cells, total, _ = protect_list(values)
    hidden = [i for i, cell in enumerate(cells) if cell.hidden]
    domains = [_domain(cell, value, 4) for cell, value in zip(cells, values, strict=True)]
    seen = {i: set() for i in hidden}
    for candidate in itertools.product(*domains):
        if _fits(sum(candidate), total):
            for i in hidden:
                seen[i].add(candidate[i])
    for i, found in seen.items():
        assert len(found) >= 2, f"{values}: cell {i} derivable"


@given(_matrices())
def test_protect_table_hides_every_small_count(matrix):
    shown = protect_table(matrix)
    for row, shown_row in zip(matrix, shown.cells, strict=True):
        for value, cell in zip(row, shown_row, strict=True):
            if 1 <= value <= 4:
                assert cell.text == SMALL_TEXT


@given(_matrices())
def test_protect_table_reveal_shows_every_number(matrix):
    shown = protect_table(matrix, reveal=True)
    assert [[cell.value for cell in row] for row in shown.cells] == matrix
    assert not shown.suppressed


def test_protect_table_shows_zero_and_large_counts():
    shown = protect_table([[0, 12], [7, 30]])
    assert [[c.text for c in row] for row in shown.cells] == [["0", "12"], ["7", "30"]]
    assert shown.total.text == "49"


def test_protect_list_hides_second_cell_with_a_lone_small_one():
    cells, total, suppressed = protect_list([3, 10, 20])
    assert [c.text for c in cells] == ["<5", "×", "20"]
    assert total.text == "33"
    assert suppressed


def test_protect_table_withholds_totals_when_every_cell_is_small():
    shown = protect_table([[1, 1], [1, 1]])
    assert [[c.text for c in row] for row in shown.cells] == [["<5", "<5"], ["<5", "<5"]]
    assert shown.total.text == WITHHELD_TEXT


def test_protect_table_large_table_hides_every_small_count():
    # 24 months × 4 genders with many small cells: the old depth-first search took half a
    # minute here (the statistics page did not load at scale); the cycle search is linear.
    pattern = [0, 1, 2, 3, 4, 5, 6, 8, 12, 20]
    matrix = [[pattern[(7 * i + 3 * j) % len(pattern)] for j in range(4)] for i in range(24)]
    table = protect_table(matrix)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if 1 <= value <= 4:
                assert table.cells[i][j].text == SMALL_TEXT
    assert table.suppressed
