"""Small-cell protection: the one function that hides counts of people between 1 and 4.

Every table of participant counts shown to anyone but the insats' own staff goes through
``protect_table`` (pages, exports and PDFs alike). A count of 1–4 is shown as "<5" (primary
suppression). Since a reader who knows a row's total and the other cells could compute a
hidden one, further cells are hidden as "×" (secondary suppression) until every hidden cell
can take at least two values consistent with everything shown.

How that is checked: the table with its shown totals is a set of linear lines (each row and
column sums to its total). A hidden cell is safe when some perturbation of the hidden cells by
±1 keeps every line balanced and every hidden cell within what its mark allows ("<5": 1–4;
"×": 0 or at least 5, and we only ever hide cells ≥ 5 secondarily). ``_movable`` searches for
such a perturbation; the property tests in tests/followup/test_suppression.py check by brute
force that no hidden value can be derived.
"""

from __future__ import annotations

from dataclasses import dataclass

SMALL_MAX = 4
SMALL_TEXT = "<5"
SECONDARY_TEXT = "×"
WITHHELD_TEXT = "–"
_SEARCH_BUDGET = 20_000


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

    def movable(self, var: tuple) -> bool:
        """True when ``var`` can change by ±1 with the shown cells and lines unchanged."""
        self._budget = _SEARCH_BUDGET
        return any(self._can(var, delta) and self._search({var: delta}) for delta in (1, -1))

    def _search(self, assigned: dict[tuple, int]) -> bool:
        self._budget -= 1
        if self._budget < 0:
            return False
        touched = {index for var in assigned for index in self.lines_of[var]}
        for index in sorted(touched):
            line = self.lines[index]
            balance = sum(coeff * assigned.get(var, 0) for var, coeff in line.items())
            if balance == 0:
                continue
            for var, coeff in line.items():
                if var in assigned or var not in self.hidden:
                    continue
                # The step that moves the balance one unit towards zero.
                delta = -coeff if balance > 0 else coeff
                if not self._can(var, delta):
                    continue
                assigned[var] = delta
                if self._search(assigned):
                    return True
                del assigned[var]
            return False
        return True

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
