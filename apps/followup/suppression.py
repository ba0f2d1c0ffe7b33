"""Small-cell protection: the one function that hides counts of people between 1 and 4.

Every table of participant counts shown to anyone but the insats' own staff goes through
``protect_table`` (pages, exports and PDFs alike). A count of 1–4 is shown as "<5" (primary
suppression). Since a reader who knows a row's total and the other cells could compute a
hidden one, further cells are hidden as "×" (secondary suppression) until every hidden cell
can take at least two values consistent with everything shown.

How that is checked: the table with its shown totals is a set of linear lines (each row and
column sums to its total). A hidden cell is safe when some perturbation of the hidden cells by
±1 keeps every line balanced and every hidden cell within what its mark allows ("<5": 1–4;
"×": 0 or at least 5, and we only ever hide cells ≥ 5 secondarily). ``movable`` finds such a
perturbation as a cycle in a graph (linear in the table's size, so large tables stay fast);
the property tests in tests/followup/test_suppression.py check by brute
force that no hidden value can be derived.
"""

from __future__ import annotations

from dataclasses import dataclass

SMALL_MAX = 4
SMALL_TEXT = "<5"
SECONDARY_TEXT = "×"
WITHHELD_TEXT = "–"


@dataclass(frozen=True)
class Cell:
    """A shown cell: ``text`` is what the reader sees; ``value`` is None when hidden."""

    value: int | None
    text: str

    @property
    def hidden(self) -> bool:
        return self.value is None


@dataclass
class ProtectedTable:
    """The table as shown: cells, row totals, column totals and the grand total (each a Cell)."""

    cells: list[list[Cell]]
    row_totals: list[Cell]
    col_totals: list[Cell]
    total: Cell
    suppressed: bool


def is_small(value: int) -> bool:
    """A count that must not be shown: 1–4 people."""
    return 1 <= value <= SMALL_MAX


def _format(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")


class _Solver:
    """The table as variables (cells and totals) and lines (each row and column with its total)."""

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

    def cell(self, var: tuple) -> Cell:
        value = self.values[var]
        if var not in self.hidden:
            return Cell(value, _format(value))
        return Cell(None, SMALL_TEXT if var in self.primary else SECONDARY_TEXT)


def protect_table(
    matrix: list[list[int]], *, reveal: bool = False, row_totals: bool = True, col_totals: bool = True
) -> ProtectedTable:
    """The table (rows of counts) with its shown totals, small cells hidden for this reader.

    ``reveal`` (the insats' own staff) shows every number as it is. Totals left out
    (``row_totals``/``col_totals`` False) are neither computed nor shown, so they bind nothing.
    """
    solver = _Solver(matrix, row_totals=row_totals, col_totals=col_totals)
    withheld = Cell(None, "")
    if reveal:
        solver.hidden = set()
    elif not solver.protect():
        # Every cell small (e.g. four ones): the marks alone would give the totals away, so the
        # totals are withheld ("–") and the cells, bound by nothing, stay "<5".
        solver = _Solver(matrix, row_totals=False, col_totals=False)
        solver.protect()
        row_totals = col_totals = False
        withheld = Cell(None, WITHHELD_TEXT)
    return ProtectedTable(
        cells=[[solver.cell(("c", i, j)) for j in range(solver.cols)] for i in range(solver.rows)],
        row_totals=[solver.cell(("r", i)) if row_totals else withheld for i in range(solver.rows)],
        col_totals=[solver.cell(("k", j)) if col_totals else withheld for j in range(solver.cols)],
        total=solver.cell(("t",)) if (row_totals or col_totals) else withheld,
        suppressed=bool(solver.hidden) or withheld.text == WITHHELD_TEXT,
    )


def protect_list(values: list[int], *, reveal: bool = False) -> tuple[list[Cell], Cell, bool]:
    """A single column of counts with its total: (cells, total, whether anything is hidden)."""
    if not values:
        return [], Cell(0, "0"), False
    table = protect_table([[value] for value in values], reveal=reveal, row_totals=False)
    # A one-column table's column total is its grand total; hidden if either is.
    total = table.total if table.total.hidden else table.col_totals[0]
    return [row[0] for row in table.cells], total, table.suppressed
