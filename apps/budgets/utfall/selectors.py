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

from django.db import connection
from django.db.models import QuerySet

from apps.core.charts import bar_chart
from apps.core.formatting import MONTH_NAMES as LONG_MONTHS
from apps.core.formatting import format_kronor
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
from ..selectors import CostRow, _cost_tree, insats_budget_amounts

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


@dataclass
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
    months_budget: list[int]
    months_utfall: list[int]
    tertials: list[Period] = field(default_factory=list)
    so_far: Period | None = None
    projection: int = 0
    override: PrognosisOverride | None = None

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
    """The year's budget lines and totals for the follow-up (four queries), or None without a budget."""
    budget = Budget.objects.filter(forbund=forbund, year=year).first()
    if budget is None:
        return None
    income_lines = list(IncomeLine.objects.filter(forbund=forbund, budget=budget).order_by("position", "id"))
    cost_lines = list(CostLine.objects.filter(forbund=forbund, budget=budget).order_by("position", "id"))
    insats_amounts = insats_budget_amounts(forbund, year)
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
    return FollowUpBudget(
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
    months_budget = monthly_budget(annual)
    row = FollowUpLine(
        kind=kind,
        line=line,
        label=label,
        depth=depth,
        annual=annual,
        months_budget=months_budget,
        months_utfall=utfall_months,
    )
    for _, _, months in TERTIALS:
        row.tertials.append(
            Period(sum(months_budget[m - 1] for m in months), sum(utfall_months[m - 1] for m in months))
        )
    row.so_far = Period(sum(months_budget[:months_with_data]), sum(utfall_months[:months_with_data]))
    row.projection = _projection(row.so_far.utfall, months_with_data, annual)
    row.override = override
    return row


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
    """Budget versus utfall per line for T1–T3 and the year so far, with prognoses (constant queries)."""
    summary = followup_budget(forbund=forbund, year=year)
    if summary is None:
        return None
    cost_utfall, income_utfall = utfall_by_line(forbund=forbund, year=year)
    overrides = PrognosisOverride.objects.filter(forbund=forbund, year=year)
    cost_overrides = {o.cost_line_id: o for o in overrides if o.cost_line_id}
    income_overrides = {o.income_line_id: o for o in overrides if o.income_line_id}
    used = [
        m for values in (*cost_utfall.values(), *income_utfall.values()) for m, v in enumerate(values, 1) if v
    ]
    months_with_data = max(used, default=0)

    cost_rows: list[FollowUpLine] = []

    def walk(rows, depth):
        totals = [0] * 12
        for row in rows:
            own = list(cost_utfall.get(row.line.pk, [0] * 12))
            child_lines_start = len(cost_rows)
            cost_rows.append(None)  # placeholder keeps parents before their sub-lines
            child_totals = walk(row.children, depth + 1) if row.children else [0] * 12
            months = [a + b for a, b in zip(own, child_totals, strict=True)]
            cost_rows[child_lines_start] = _line(
                "cost",
                row.line,
                str(row.line),
                depth,
                row.amount,
                months,
                months_with_data,
                cost_overrides.get(row.line.pk),
            )
            totals = [a + b for a, b in zip(totals, months, strict=True)]
        return totals

    total_months = walk(summary.cost_rows, 0)
    income_rows = [
        _line(
            "income",
            line,
            line.name,
            0,
            line.amount,
            list(income_utfall.get(line.pk, [0] * 12)),
            months_with_data,
            income_overrides.get(line.pk),
        )
        for line in summary.income_lines
    ]
    cost_total = _line(
        "cost", None, "Summa kostnader", 0, summary.cost_total, total_months, months_with_data, None
    )
    top = [r for r in cost_rows if r.depth == 0]
    cost_total.projection = sum(r.prognosis for r in top)
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
