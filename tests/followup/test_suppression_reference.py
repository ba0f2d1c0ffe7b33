"""The faster suppression search hides exactly the cells the straightforward search hid.

``_Reference`` is ``suppression._Solver`` as it was before it kept its arcs between searches and
tested single candidates by look-up (each search rebuilt every arc; each candidate was hidden
and searched for): same tables in, the same hidden cells out, on random tables small and large.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.followup.suppression import SMALL_MAX, _Solver, is_small


class _Reference:
    """The solver as it was before the faster search (every search rebuilt its arcs): the oracle."""

    def __init__(self, matrix: list[list[int]], *, row_totals: bool, col_totals: bool):
        self.rows = len(matrix)
        self.has_row_totals = row_totals
        self.has_col_totals = col_totals
        self.cols = len(matrix[0]) if matrix else 0
        self.values: dict[tuple, int] = {}
        for i, row in enumerate(matrix):
            for j, value in enumerate(row):
                self.values[("c", i, j)] = value
        # A line: {variable: coefficient}; cells +1, their total -1. Only shown totals make lines.
        self.lines: list[dict[tuple, int]] = []
        if row_totals:
            for i, row in enumerate(matrix):
                self.values[("r", i)] = sum(row)
                self.lines.append({**{("c", i, j): 1 for j in range(self.cols)}, ("r", i): -1})
        if col_totals:
            for j in range(self.cols):
                self.values[("k", j)] = sum(matrix[i][j] for i in range(self.rows))
                self.lines.append({**{("c", i, j): 1 for i in range(self.rows)}, ("k", j): -1})
        if row_totals or col_totals:
            self.values[("t",)] = sum(sum(row) for row in matrix)
        if row_totals:
            self.lines.append({**{("r", i): 1 for i in range(self.rows)}, ("t",): -1})
        if col_totals:
            self.lines.append({**{("k", j): 1 for j in range(self.cols)}, ("t",): -1})
        self.lines_of: dict[tuple, list[int]] = {var: [] for var in self.values}
        for index, line in enumerate(self.lines):
            for var in line:
                self.lines_of[var].append(index)
        self.hidden: set[tuple] = {var for var, value in self.values.items() if is_small(value)}
        self.primary = frozenset(self.hidden)

    def _can(self, var: tuple, delta: int) -> bool:
        new = self.values[var] + delta
        if var in self.primary:
            return 1 <= new <= SMALL_MAX
        return new > SMALL_MAX

    def _ends(self, var: tuple) -> tuple[tuple, tuple, int]:
        """The variable as an edge of the table with its margins: (row node, column node, sign).

        With the totals negated (sign -1), every row and column of the extended table sums to
        zero, so a change that keeps every line balanced is a circulation on these edges.
        """
        kind = var[0]
        if kind == "c":
            return ("R", var[1]), ("C", var[2]), 1
        if kind == "r":
            return ("R", var[1]), ("C", "T"), -1
        if kind == "k":
            return ("R", "T"), ("C", var[1]), -1
        return ("R", "T"), ("C", "T"), 1

    def _arcs(self, exclude: tuple) -> dict[tuple, list[tuple]]:
        """Directed arcs of the hidden edges: row→column where +1 fits, column→row where -1 fits."""
        arcs: dict[tuple, list[tuple]] = {}
        for var in self.hidden:
            if var == exclude:
                continue
            row, col, sign = self._ends(var)
            if self._can(var, sign):
                arcs.setdefault(row, []).append(col)
            if self._can(var, -sign):
                arcs.setdefault(col, []).append(row)
        # A total that is not shown binds nothing: its edge moves freely both ways.
        free: list[tuple[tuple, tuple]] = []
        if not self.has_row_totals:
            free += [(("R", i), ("C", "T")) for i in range(self.rows)]
        if not self.has_col_totals:
            free += [(("R", "T"), ("C", j)) for j in range(self.cols)]
        if not (self.has_row_totals or self.has_col_totals):
            free.append((("R", "T"), ("C", "T")))
        for row, col in free:
            arcs.setdefault(row, []).append(col)
            arcs.setdefault(col, []).append(row)
        return arcs

    def movable(self, var: tuple) -> bool:
        """True when ``var`` can change by ±1 with the shown cells and lines unchanged.

        Any other solution differs from the true one by a circulation, which splits into
        alternating cycles that each stay within the marks' ranges; so ``var`` can take a
        second value exactly when a unit cycle through it exists: a breadth-first search.
        """
        row, col, sign = self._ends(var)
        arcs = self._arcs(var)
        for step, start, goal in ((1, col, row), (-1, row, col)):
            if not self._can(var, step * sign):
                continue
            seen = {start}
            queue = [start]
            while queue:
                node = queue.pop()
                if node == goal:
                    return True
                for nxt in arcs.get(node, ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        queue.append(nxt)
        return False

    def _try(self, exposed: tuple, extra: tuple) -> bool:
        self.hidden.update(extra)
        if self.movable(exposed):
            return True
        self.hidden.difference_update(extra)
        return False

    def protect(self) -> bool:
        """Hide cells until every hidden one can move; False when that cannot be done."""
        while True:
            exposed = next((var for var in sorted(self.hidden) if not self.movable(var)), None)
            if exposed is None:
                return True
            # Shown cells ≥ 5 on a line with a hidden cell; cells before totals, smallest first,
            # so readers keep the totals and the large numbers whenever possible.
            candidates = sorted(
                {
                    var
                    for hidden in self.hidden
                    for index in self.lines_of[hidden]
                    for var in self.lines[index]
                    if var not in self.hidden and self.values[var] > SMALL_MAX
                },
                key=lambda var: (var[0] != "c", self.values[var], var),
            )
            if not candidates:
                return False
            if any(self._try(exposed, (var,)) for var in candidates):
                continue
            near = candidates[:12]
            pairs = ((a, b) for n, a in enumerate(near) for b in near[n + 1 :])
            if any(self._try(exposed, pair) for pair in pairs):
                continue
            self.hidden.add(candidates[0])


VALUES = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12])


def _hidden(solver_class, matrix, row_totals, col_totals):
    solver = solver_class(matrix, row_totals=row_totals, col_totals=col_totals)
    ok = solver.protect()
    return ok, sorted(solver.hidden)


def _same(matrix, row_totals=True, col_totals=True):
    assert _hidden(_Solver, matrix, row_totals, col_totals) == _hidden(
        _Reference, matrix, row_totals, col_totals
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 6).flatmap(
        lambda rows: st.integers(1, 5).flatmap(
            lambda cols: st.lists(
                st.lists(VALUES, min_size=cols, max_size=cols), min_size=rows, max_size=rows
            )
        )
    ),
    st.booleans(),
    st.booleans(),
)
def test_same_hidden_cells_as_reference(matrix, row_totals, col_totals):
    _same(matrix, row_totals, col_totals)


@pytest.mark.parametrize("seed", range(6))
def test_same_hidden_cells_as_reference_on_large_tables(seed):
    # Shaped like the statistics page's tables: many insatser × four genders, mostly small
    # counts in two columns; and the compare table (two columns, no row totals).
    rng = random.Random(seed)
    rows = 40 + seed * 10
    matrix = [
        [
            rng.choice([0, 3, 8, 15, 40]),
            rng.choice([0, 2, 6, 12, 30]),
            rng.choice([0, 0, 1, 2, 5]),
            rng.choice([0, 1, 4]),
        ]
        for _ in range(rows)
    ]
    _same(matrix)
    _same([[rng.choice([0, 1, 2, 5, 9, 20]) for _ in range(2)] for _ in range(rows)], row_totals=False)
