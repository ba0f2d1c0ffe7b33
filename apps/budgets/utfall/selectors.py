"""Reads of utfall: imports, mappings, and the year's follow-up (budget versus utfall, prognosis).

Rounding of the budget per period (documented because periods must add up to the year):
a line's annual budget is split over the twelve months with the largest-remainder method
(``allocation.largest_remainder`` with equal weights): every month gets the floor of
amount / 12 and the kronor left over go one each to the earliest months. A period's budget
is the sum of its months, so T1 + T2 + T3 is exactly the annual budget.

Prognosis: the outcome so far divided by the number of months with data (the months up to
the last month that has any utfall for the year) times 12, rounded half up to whole kronor;
a typed prognosis (PrognosisOverride) replaces it for its line. With no utfall at all the
prognosis is the budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db import connection
from django.db.models import QuerySet

from apps.core.charts import bar_chart
from apps.core.db import loaded_instance, prepared_cursor
from apps.core.formatting import MONTH_NAMES as LONG_MONTHS
from apps.core.formatting import format_kronor
from apps.insatser.models import InsatsYear
from apps.tenancy.models import Forbund

from .. import allocation
from ..models import (
    AccountMapping,
    Budget,
    CostLine,
    IncomeKind,
    IncomeLine,
    PrognosisOverride,
    UtfallImport,
    UtfallRow,
)
from ..selectors import CostRow, _cost_tree

TERTIALS = (
    ("T1", "januari–april", (1, 2, 3, 4)),
    ("T2", "maj–augusti", (5, 6, 7, 8)),
    ("T3", "september–december", (9, 10, 11, 12)),
)
MONTH_NAMES = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def utfall_import_list(*, forbund: Forbund) -> QuerySet[UtfallImport]:
    """The förbund's utfall imports, newest first, with who uploaded them."""
    return (
        UtfallImport.objects.filter(forbund=forbund)
        .select_related("created_by")
        .defer("content")
        .order_by("-created_at")
    )


def utfall_import_queryset(*, forbund: Forbund) -> QuerySet[UtfallImport]:
    """Imports a view may look up by public_id."""
    return UtfallImport.objects.filter(forbund=forbund)


def account_mapping_list(*, forbund: Forbund) -> QuerySet[AccountMapping]:
    """The förbund's account mappings with their lines and years, by account."""
    return (
        AccountMapping.objects.filter(forbund=forbund)
        .select_related("cost_line__budget", "income_line__budget")
        .order_by("account_from", "account_to")
    )


def year_lines(*, forbund: Forbund, year: int) -> tuple[list[CostLine], list[IncomeLine]]:
    """The cost and income lines of the year's budget, in printed order."""
    cost = list(CostLine.objects.filter(forbund=forbund, budget__year=year).order_by("position", "id"))
    income = list(IncomeLine.objects.filter(forbund=forbund, budget__year=year).order_by("position", "id"))
    return cost, income


def monthly_budget(annual: int) -> list[int]:
    """The annual budget over twelve months, whole kronor, adding up exactly (earliest months first).

    ``allocation.largest_remainder(annual, [1] * 12)`` in closed form: with equal weights every
    remainder is equal, so the kronor left over go to the earliest months.
    """
    sign = -1 if annual < 0 else 1
    whole, left = divmod(abs(annual), 12)
    return [sign * (whole + 1) if m < left else sign * whole for m in range(12)]


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole`` with one decimal; None when ``whole`` is 0."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(slots=True)
class Period:
    """Budget and utfall of one line in one period."""

    budget: int
    utfall: int

    @property
    def deviation(self) -> int:
        """Utfall minus budget (positive: more than budgeted)."""
        return self.utfall - self.budget

    @property
    def deviation_percent(self) -> Decimal | None:
        return percent(self.deviation, self.budget)


@dataclass
class FollowUpLine:
    """A budget line's follow-up: periods, year so far, prognosis."""

    kind: str
    line: CostLine | IncomeLine | None
    label: str
    depth: int
    annual: int
    months_utfall: list[int]
    tertials: list[Period] = field(default_factory=list)
    so_far: Period | None = None
    projection: int = 0
    override: PrognosisOverride | None = None
    edit_url: str = ""  # the page's link to the prognosis form, set by the view for editors

    @cached_property
    def months_budget(self) -> list[int]:
        """The annual budget per month (``monthly_budget``), computed when first read."""
        return monthly_budget(self.annual)

    @property
    def prognosis(self) -> int:
        return self.override.amount if self.override else self.projection

    @property
    def prognosis_deviation(self) -> int:
        return self.prognosis - self.annual


@dataclass
class FollowUpBudget:
    """What the follow-up reads of the year's budget: the budget page's figures for lines,
    totals and eget kapital (``budget_summary``'s, computed the same way) without the members'
    parts and the långtidsbudget, which the follow-up does not show."""

    budget: Budget
    cost_rows: list[CostRow]
    cost_total: int
    income_lines: list[IncomeLine]
    income_total: int
    driftsbidrag: int
    eget_kapital_opening: int
    eget_kapital_use: int
    eget_kapital_closing: int


def followup_budget(*, forbund: Forbund, year: int) -> FollowUpBudget | None:
    """The year's budget lines and totals for the follow-up (one query), or None without a budget."""
    loaded = _load_year(forbund, year)
    return None if loaded is None else loaded.summary


# --- Reading the year in one query -------------------------------------------------------------
#
# The follow-up reads the budget and one row per line with everything the page shows of it, in
# one prepared statement (apps.core.db.prepared_cursor: planned once per connection). Only the
# columns the follow-up reads travel; the timestamps (and the overrides' other columns) are left
# deferred, as ``.only()`` would leave them.

_MONTHS = tuple(range(1, 13))
# The layout of a row; the budget, cost and income rows share the columns.
_PART, _ID, _PUBLIC_ID, _NAME, _AMOUNT, _POSITION = range(6)
_PARENT, _ACCOUNT, _INSATS, _RESERVE, _KIND = range(6, 11)
_OVERRIDE_ID, _OVERRIDE_AMOUNT, _OVERRIDE_COMMENT, _INSATS_AMOUNT = range(11, 15)
_FIRST_MONTH = 15
_LAST_MONTH = _FIRST_MONTH + 12
# The budget's row comes first: its months with data in the insats amount's column, its own
# columns (_BUDGET_FIELDS) after the months.
_BUDGET, _COST, _INCOME = 0, 1, 2
# The budget's fields the follow-up reads (``followup_budget`` gives the Budget instance with the
# timestamps deferred), in the models' order.
_BUDGET_FIELDS = tuple(
    f.attname for f in Budget._meta.concrete_fields if f.attname not in ("created_at", "updated_at")
)


def _lines_sql() -> str:
    """The year's budget, then every line of it in printed order (cost lines, then income lines),
    each with its insats' budget for the year (NULL when it has none), its typed prognosis and
    its twelve monthly utfall sums. The budget's row carries the months with data: the last month
    with a non-zero sum for any line of the year, also a line this budget does not have (0 without
    utfall). No row at all when the year has no budget.

    Table and column names come from the models; forbund and year are parameters."""
    override = PrognosisOverride._meta.db_table
    sums = ", ".join(f"SUM(amount) FILTER (WHERE month = {m})::bigint AS m{m}" for m in _MONTHS)
    months = ", ".join(f"COALESCE(s.m{m}, 0)" for m in _MONTHS)
    last = " ".join(f"WHEN m{m} <> 0 THEN {m}" for m in reversed(_MONTHS))
    zeros = ", ".join("0" for _ in _MONTHS)
    budget_columns = ", ".join(
        f'b."{f.column}"' for f in Budget._meta.concrete_fields if f.attname in _BUDGET_FIELDS
    )
    no_budget = ", ".join("NULL" for _ in _BUDGET_FIELDS)
    # The statement starts with SELECT (the CTEs inside): pghistory's middleware puts its
    # set_config() in front of any other statement, and a prepared statement is one command.
    return f"""
        SELECT * FROM (
        WITH b AS (
            SELECT * FROM {Budget._meta.db_table} WHERE forbund_id = %(forbund)s AND year = %(year)s
        ), spent AS (
            SELECT cost_line_id, income_line_id, {sums}
            FROM {UtfallRow._meta.db_table}
            WHERE forbund_id = %(forbund)s AND year = %(year)s
            GROUP BY cost_line_id, income_line_id
        )
        (SELECT {_BUDGET} AS part, 0 AS line_id, NULL, NULL, NULL, 0 AS line_position, NULL, NULL, NULL,
                NULL, NULL, NULL, NULL, NULL,
                COALESCE((SELECT MAX(CASE {last} END) FROM spent), 0), {zeros}, {budget_columns}
         FROM b)
        UNION ALL
        (SELECT {_COST}, l.id, l.public_id, l.name, l.amount, l.position,
                l.parent_id, l.account_code, l.insats_id, l.is_reserve, NULL AS kind,
                o.id AS override_id, o.amount AS override_amount, o.comment, iy.budget_amount, {months},
                {no_budget}
         FROM {CostLine._meta.db_table} l
         JOIN b ON b.id = l.budget_id
         LEFT JOIN {InsatsYear._meta.db_table} iy
           ON iy.forbund_id = %(forbund)s AND iy.insats_id = l.insats_id AND iy.year = %(year)s
          AND iy.budget_amount IS NOT NULL
         LEFT JOIN {override} o
           ON o.forbund_id = %(forbund)s AND o.year = %(year)s AND o.cost_line_id = l.id
         LEFT JOIN spent s ON s.cost_line_id = l.id
         WHERE l.forbund_id = %(forbund)s)
        UNION ALL
        (SELECT {_INCOME}, l.id, l.public_id, l.name, l.amount, l.position,
                NULL, NULL, NULL, NULL, l.kind,
                o.id, o.amount, o.comment, NULL, {months}, {no_budget}
         FROM {IncomeLine._meta.db_table} l
         JOIN b ON b.id = l.budget_id
         LEFT JOIN {override} o
           ON o.forbund_id = %(forbund)s AND o.year = %(year)s AND o.income_line_id = l.id
         LEFT JOIN spent s ON s.income_line_id = l.id
         WHERE l.forbund_id = %(forbund)s)
        ) AS year_rows
        ORDER BY part, line_position, line_id"""  # noqa: S608


@dataclass
class _Year:
    """What one request reads for the follow-up: the budget summary, the utfall and the overrides."""

    summary: FollowUpBudget
    months_with_data: int
    cost_utfall: dict[int, list[int]]
    income_utfall: dict[int, list[int]]
    overrides: dict[tuple[int, int], PrognosisOverride]


def _load_year(forbund: Forbund, year: int) -> _Year | None:
    """The budget and all its lines with their figures (one query), or None without a budget."""
    with prepared_cursor() as cursor:
        cursor.execute(_LINES_SQL, {"forbund": forbund.pk, "year": year})
        rows = cursor.fetchall()
    if not rows:
        return None
    db = connection.alias
    head = rows[0]
    budget = loaded_instance(Budget, _BUDGET_FIELDS, head[_LAST_MONTH:], db=db)
    months_with_data = head[_INSATS_AMOUNT]
    cost_lines: list[CostLine] = []
    income_lines: list[IncomeLine] = []
    insats_amounts: dict[int, int] = {}
    cost_utfall: dict[int, list[int]] = {}
    income_utfall: dict[int, list[int]] = {}
    overrides: dict[tuple[int, int], PrognosisOverride] = {}
    f, b = forbund.pk, budget.pk
    for row in rows[1:]:
        part, pk = row[_PART], row[_ID]
        if part == _COST:
            cost_lines.append(
                loaded_instance(
                    CostLine,
                    _COST_FIELDS,
                    (pk, f, row[_PUBLIC_ID], b, row[_PARENT], row[_ACCOUNT], row[_NAME], row[_AMOUNT])
                    + (row[_INSATS], row[_RESERVE], row[_POSITION]),
                    db=db,
                )
            )
            if row[_INSATS_AMOUNT] is not None:
                insats_amounts[row[_INSATS]] = row[_INSATS_AMOUNT]
            cost_utfall[pk] = list(row[_FIRST_MONTH:_LAST_MONTH])
        else:
            income_lines.append(
                loaded_instance(
                    IncomeLine,
                    _INCOME_FIELDS,
                    (pk, f, row[_PUBLIC_ID], b, row[_KIND], row[_NAME], row[_AMOUNT], row[_POSITION]),
                    db=db,
                )
            )
            income_utfall[pk] = list(row[_FIRST_MONTH:_LAST_MONTH])
        if row[_OVERRIDE_ID] is not None:
            overrides[(part - _COST, pk)] = loaded_instance(
                PrognosisOverride,
                _OVERRIDE_FIELDS,
                (row[_OVERRIDE_ID], f)
                + ((pk, None) if part == _COST else (None, pk))
                + (year, row[_OVERRIDE_AMOUNT], row[_OVERRIDE_COMMENT]),
                db=db,
            )
    cost_rows = _cost_tree(cost_lines, insats_amounts)  # the budget page's own tree and amounts
    cost_total = sum(row.amount for row in cost_rows)
    driftsbidrag = 0
    if budget.input_amount is not None:
        driftsbidrag = allocation.total_from_input(
            input_mode=budget.input_mode, input_amount=budget.input_amount
        )
    income_total = driftsbidrag + sum(line.amount for line in income_lines)
    use = sum(line.amount for line in income_lines if line.kind == IncomeKind.EGET_KAPITAL)
    opening = budget.eget_kapital_opening
    summary = FollowUpBudget(
        budget=budget,
        cost_rows=cost_rows,
        cost_total=cost_total,
        income_lines=income_lines,
        income_total=income_total,
        driftsbidrag=driftsbidrag,
        eget_kapital_opening=opening,
        eget_kapital_use=use,
        eget_kapital_closing=opening - use + income_total - cost_total,
    )
    return _Year(summary, months_with_data, cost_utfall, income_utfall, overrides)


# The fields each row fills (``loaded_instance``; the others are deferred), in the models' order.
# A field added to a model later is left deferred too; tests/budgets/test_followup_figures.py
# checks the names.
_COST_FIELDS = (
    "id",
    "forbund_id",
    "public_id",
    "budget_id",
    "parent_id",
    "account_code",
    "name",
    "amount",
    "insats_id",
    "is_reserve",
    "position",
)
_INCOME_FIELDS = ("id", "forbund_id", "public_id", "budget_id", "kind", "name", "amount", "position")
_OVERRIDE_FIELDS = ("id", "forbund_id", "cost_line_id", "income_line_id", "year", "amount", "comment")
_LINES_SQL = _lines_sql()


@dataclass
class FollowUp:
    """The year's follow-up page: cost and income lines, totals, and the chart's figures."""

    year: int
    summary: FollowUpBudget
    months_with_data: int
    cost_lines: list[FollowUpLine]
    income_lines: list[FollowUpLine]
    cost_total: FollowUpLine

    @property
    def tertial_names(self) -> list[tuple[str, str]]:
        return [(name, months) for name, months, _ in TERTIALS]

    @property
    def period_tables(self) -> list[dict]:
        """One table per tertial: every cost line, the cost total and every income line."""
        return [
            {
                "name": name,
                "months": months,
                "costs": [(row, row.tertials[i]) for row in self.cost_lines],
                "total": self.cost_total.tertials[i],
                "income": [(row, row.tertials[i]) for row in self.income_lines],
            }
            for i, (name, months, _) in enumerate(TERTIALS)
        ]

    @property
    def so_far_label(self) -> str:
        if self.months_with_data == 0:
            return "Inget utfall ännu"
        return f"januari–{_long_month(self.months_with_data)}"


def _long_month(month: int) -> str:
    return LONG_MONTHS[month - 1]


def _projection(utfall_so_far: int, months: int, annual: int) -> int:
    """utfall_so_far × 12 / months rounded half up (away from zero), in whole numbers."""
    if months == 0:
        return annual
    exact = utfall_so_far * 12
    sign = -1 if exact < 0 else 1
    return sign * ((abs(exact) * 2 + months) // (2 * months))


def _line(kind, line, label, depth, annual, utfall_months, months_with_data, override) -> FollowUpLine:
    # A period's budget is the sum of its months in ``monthly_budget(annual)``, in closed form:
    # every month has ``whole`` and the first ``left`` months one krona more.
    sign = -1 if annual < 0 else 1
    whole, left = divmod(abs(annual), 12)
    quarter = 4 * whole  # a tertial's four months at ``whole`` each
    m = months_with_data
    u = utfall_months
    so_far_utfall = sum(u[:m])
    return FollowUpLine(
        kind=kind,
        line=line,
        label=label,
        depth=depth,
        annual=annual,
        months_utfall=u,
        tertials=[
            Period(sign * (quarter + (left if left < 4 else 4)), u[0] + u[1] + u[2] + u[3]),
            Period(
                sign * (quarter + (0 if left < 4 else left - 4 if left < 8 else 4)), u[4] + u[5] + u[6] + u[7]
            ),
            Period(sign * (quarter + (left - 8 if left > 8 else 0)), u[8] + u[9] + u[10] + u[11]),
        ],
        so_far=Period(sign * (m * whole + (left if left < m else m)), so_far_utfall),
        projection=_projection(so_far_utfall, m, annual),
        override=override,
    )


def utfall_by_line(*, forbund: Forbund, year: int) -> tuple[dict, dict]:
    """Utfall per cost line pk and per income line pk as twelve monthly sums: one query, one row
    per line (the months summed in SQL with FILTER, not row by row here)."""
    months = ", ".join(f"COALESCE(SUM(amount) FILTER (WHERE month = {m}), 0)" for m in range(1, 13))
    # The table name comes from the model and the months are literals; the values are parameters.
    sql = f"""
        SELECT cost_line_id, income_line_id, {months}
        FROM {UtfallRow._meta.db_table}
        WHERE forbund_id = %s AND year = %s
        GROUP BY cost_line_id, income_line_id"""  # noqa: S608
    cost: dict[int, list[int]] = {}
    income: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [forbund.pk, year])
        for cost_line_id, income_line_id, *values in cursor.fetchall():
            if cost_line_id:
                cost[cost_line_id] = [int(v) for v in values]
            else:
                income[income_line_id] = [int(v) for v in values]
    return cost, income


def followup(*, forbund: Forbund, year: int) -> FollowUp | None:
    """Budget versus utfall per line for T1–T3 and the year so far, with prognoses (one query)."""
    loaded = _load_year(forbund, year)
    if loaded is None:
        return None
    summary = loaded.summary
    cost_utfall, overrides = loaded.cost_utfall, loaded.overrides
    months_with_data = loaded.months_with_data
    no_utfall = [0] * 12

    cost_rows: list[FollowUpLine] = []

    def walk(rows, depth) -> list[list[int]]:
        """The rows' lines (parents before their sub-lines) and each row's twelve months, its
        sub-lines' included."""
        level = []
        for row in rows:
            pk = row.line.pk
            months = cost_utfall.get(pk) or list(no_utfall)
            at = len(cost_rows)  # the line goes before its sub-lines, which walk() adds first
            if row.children:
                months = [sum(column) for column in zip(months, *walk(row.children, depth + 1), strict=True)]
            line = _line(
                "cost",
                row.line,
                str(row.line),
                depth,
                row.amount,
                months,
                months_with_data,
                overrides.get((0, pk)),
            )
            cost_rows.insert(at, line)
            level.append(months)
        return level

    top = walk(summary.cost_rows, 0)
    total_months = [sum(column) for column in zip(*top, strict=True)] if top else list(no_utfall)
    income_rows = [
        _line(
            "income",
            line,
            line.name,
            0,
            line.amount,
            list(loaded.income_utfall.get(line.pk, no_utfall)),
            months_with_data,
            overrides.get((1, line.pk)),
        )
        for line in summary.income_lines
    ]
    cost_total = _line(
        "cost", None, "Summa kostnader", 0, summary.cost_total, total_months, months_with_data, None
    )
    cost_total.projection = sum(r.prognosis for r in cost_rows if r.depth == 0)
    return FollowUp(
        year=year,
        summary=summary,
        months_with_data=months_with_data,
        cost_lines=cost_rows,
        income_lines=income_rows,
        cost_total=cost_total,
    )


# --- The chart ------------------------------------------------------------------------------


def chart(follow: FollowUp) -> dict:
    """Budget and utfall of the total costs per tertial: the chart (apps.core.charts) and its figures.

    The page shows the same figures in a table under the chart; the text alternative names them too.
    """
    periods = list(zip([t[0] for t in TERTIALS], follow.cost_total.tertials, strict=True))
    figures = "; ".join(
        f"{name}: budget {format_kronor(period.budget)}, utfall {format_kronor(period.utfall)}"
        for name, period in periods
    )
    figure = bar_chart(
        labels=[name for name, _ in periods],
        series=[
            ("Budget", [period.budget for _, period in periods]),
            ("Utfall", [period.utfall for _, period in periods]),
        ],
        alt=f"Stapeldiagram: budget och utfall för kostnaderna per tertial {follow.year}. {figures}. "
        "Siffrorna finns i tabellen under diagrammet.",
        y_title="Kronor",
    )
    return {"chart": figure, "periods": periods}
