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

    def _arcs_of(self, var: tuple) -> list[tuple[tuple, tuple]]:
        """The directed arcs a hidden variable gives: row→column where +1 fits, column→row where -1 fits."""
        row, col, sign = self._ends(var)
        arcs = []
        if self._can(var, sign):
            arcs.append((row, col))
        if self._can(var, -sign):
            arcs.append((col, row))
        return arcs

    def _moves(self, var: tuple) -> list[tuple[tuple, tuple]]:
        """(start, goal) of each unit change ``var`` allows: a cycle through it runs from start to goal."""
        row, col, sign = self._ends(var)
        moves = []
        if self._can(var, sign):
            moves.append((col, row))
        if self._can(var, -sign):
            moves.append((row, col))
        return moves

    def _graph(self) -> tuple[dict, dict]:
        """The arcs of the hidden edges, forward and backward: node -> [(next node, owning variable)].

        A total that is not shown binds nothing: its edge moves freely both ways (owner None).
        """
        forward: dict[tuple, list] = {}
        backward: dict[tuple, list] = {}
        for var in self.hidden:
            for u, v in self._arcs_of(var):
                forward.setdefault(u, []).append((v, var))
                backward.setdefault(v, []).append((u, var))
        free: list[tuple[tuple, tuple]] = []
        if not self.has_row_totals:
            free += [(("R", i), ("C", "T")) for i in range(self.rows)]
        if not self.has_col_totals:
            free += [(("R", "T"), ("C", j)) for j in range(self.cols)]
        if not (self.has_row_totals or self.has_col_totals):
            free.append((("R", "T"), ("C", "T")))
        for row, col in free:
            for u, v in ((row, col), (col, row)):
                forward.setdefault(u, []).append((v, None))
                backward.setdefault(v, []).append((u, None))
        return forward, backward

    @staticmethod
    def _reach(arcs: dict, start: tuple, exclude: tuple, goal: tuple | None = None) -> set[tuple]:
        """The nodes reachable from ``start`` without ``exclude``'s arcs (stops early at ``goal``)."""
        seen = {start}
        stack = [start]
        while stack:
            node = stack.pop()
            if node == goal:
                break
            for nxt, owner in arcs.get(node, ()):
                if owner != exclude and nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    def movable(self, var: tuple, graph: tuple[dict, dict] | None = None) -> bool:
        """True when ``var`` can change by ±1 with the shown cells and lines unchanged.

        Any other solution differs from the true one by a circulation, which splits into
        alternating cycles that each stay within the marks' ranges; so ``var`` can take a
        second value exactly when a unit cycle through it exists: a search from one end of its
        edge to the other over the other hidden edges' arcs.
        """
        forward, _ = graph or self._graph()
        return any(goal in self._reach(forward, start, var, goal) for start, goal in self._moves(var))

    def _first_single(
        self, exposed: tuple, candidates: list[tuple], graph: tuple[dict, dict]
    ) -> tuple | None:
        """The first candidate whose hiding lets ``exposed`` move, or None.

        ``exposed`` cannot move now, so a new cycle must use an arc u→v of the candidate: u
        reachable from the move's start and the goal reachable from v. Two searches per move,
        then a look-up per candidate (the same answer as hiding each candidate and searching).
        """
        forward, backward = graph
        ends = [
            (self._reach(forward, start, exposed), self._reach(backward, goal, exposed))
            for start, goal in self._moves(exposed)
        ]
        for var in candidates:
            if any(u in after and v in before for u, v in self._arcs_of(var) for after, before in ends):
                return var
        return None

    def _first_pair(
        self, exposed: tuple, near: list[tuple], graph: tuple[dict, dict]
    ) -> tuple[tuple, tuple] | None:
        """The first pair of candidates (in order) whose hiding together lets ``exposed`` move.

        No single candidate does, so a new cycle uses an arc of each: start ⇝ u1 → v1 ⇝ u2 → v2
        ⇝ goal, the middle over today's arcs. One search from each candidate arc's head, then a
        look-up per pair (the same answer as hiding each pair and searching).
        """
        forward, backward = graph
        ends = [
            (self._reach(forward, start, exposed), self._reach(backward, goal, exposed))
            for start, goal in self._moves(exposed)
        ]
        arcs = {var: self._arcs_of(var) for var in near}
        onward = {v: self._reach(forward, v, exposed) for var in near for _, v in arcs[var]}

        def joins(first: tuple, second: tuple) -> bool:
            return any(
                u1 in after and v2 in before and u2 in onward[v1]
                for u1, v1 in arcs[first]
                for u2, v2 in arcs[second]
                for after, before in ends
            )

        for n, a in enumerate(near):
            for b in near[n + 1 :]:
                if joins(a, b) or joins(b, a):
                    return a, b
        return None

    def protect(self) -> bool:
        """Hide cells until every hidden one can move; False when that cannot be done.

        Hiding more cells only adds arcs, so a cell once found movable stays movable: each
        round checks only the cells not yet known to move.
        """
        known: set[tuple] = set()
        while True:
            graph = self._graph()
            exposed = None
            for var in sorted(self.hidden):
                if var in known:
                    continue
                if not self.movable(var, graph):
                    exposed = var
                    break
                known.add(var)
            if exposed is None:
                return True
            # Shown cells ≥ 5 on a line with a hidden cell; cells before totals, smallest first,
            # so readers keep the totals and the large numbers whenever possible.
            touched = {index for hidden in self.hidden for index in self.lines_of[hidden]}
            candidates = sorted(
                {
                    var
                    for index in touched
                    for var in self.lines[index]
                    if var not in self.hidden and self.values[var] > SMALL_MAX
                },
                key=lambda var: (var[0] != "c", self.values[var], var),
            )
            if not candidates:
                return False
            single = self._first_single(exposed, candidates, graph)
            if single is not None:
                self.hidden.add(single)
                continue
            pair = self._first_pair(exposed, candidates[:12], graph)
            if pair is not None:
                self.hidden.update(pair)
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
