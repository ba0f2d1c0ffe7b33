"""The budget's data sections in the verksamhetsplan: "budget" and "langtidsbudget".

Both renderers turn :func:`apps.budgets.selectors.budget_summary` into plain JSON (ints for
kronor, strings for percentages) so that an adopted plan version can freeze them; the templates
``budgets/plan_budget.html`` and ``budgets/plan_langtidsbudget.html`` render only that JSON.
Each renderer runs the summary's fixed number of queries, whatever the number of lines.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from apps.plans.datasections import register, shared
from apps.tenancy.models import Forbund

from . import selectors
from .selectors import EGET_KAPITAL_LIMIT_PERCENT, BudgetSummary, CostRow


def _percent(value: Decimal | None) -> str | None:
    """A Decimal percentage as a string ("24.9"), None stays None."""
    return None if value is None else str(value)


def _missing(year: int) -> dict[str, Any]:
    return {"finns": False, "year": year}


def _cost_row(row: CostRow) -> dict[str, Any]:
    line = row.line
    return {
        "label": str(line),
        "account_code": line.account_code,
        "name": line.name,
        "amount": row.amount,
        "depth": row.depth,
        "has_children": bool(row.children),
        "insats": line.insats.name if line.insats_id else "",
        "is_reserve": line.is_reserve,
        "insats_year_missing": row.insats_year_missing,
    }


def budget_data(summary: BudgetSummary) -> dict[str, Any]:
    """The year's budget as JSON: income with the member split, the cost tree, result, eget kapital."""
    return {
        "finns": True,
        "year": summary.budget.year,
        "financing_specified": summary.financing_specified,
        "has_driftsbidrag": bool(summary.parts),
        "warnings": list(summary.warnings),
        "income": {
            "parts": [{"kind": p.kind, "name": p.name, "amount": p.amount} for p in summary.parts],
            "driftsbidrag": summary.driftsbidrag,
            "lines": [
                {
                    "kind": line.kind,
                    "kind_label": line.get_kind_display(),
                    "name": line.name,
                    "amount": line.amount,
                }
                for line in summary.income_lines
            ],
            "total": summary.income_total,
        },
        "costs": {
            "rows": [_cost_row(row) for row in summary.flat_cost_rows],
            "total": summary.cost_total,
        },
        "result": summary.result,
        "balanced": summary.balanced,
        "reserve_total": summary.reserve_total,
        "unallocated": summary.unallocated,
        "eget_kapital": {
            "opening": summary.eget_kapital_opening,
            "use": summary.eget_kapital_use,
            "result": summary.result,
            "closing": summary.eget_kapital_closing,
            "ratio": _percent(summary.eget_kapital_ratio),
            "warning": summary.eget_kapital_warning,
            "limit": EGET_KAPITAL_LIMIT_PERCENT,
        },
    }


def _long_term_cost_rows(summary: BudgetSummary) -> list[dict[str, Any]]:
    """Every cost line (sub-lines too, as the plans print them) with its amount per column.

    A sub-line's amount in a later year is its own when set, carried forward with its main line,
    0 under a main line set to 0, and otherwise None ("–"); see selectors.LongTermColumn."""
    columns = summary.long_term
    rows: list[dict[str, Any]] = []

    def walk(row: CostRow, index: int) -> None:
        amounts = [col.line_amounts.get(row.line.pk) for col in columns]
        rows.append(
            {
                "label": str(row.line),
                "depth": row.depth,
                "has_children": bool(row.children),
                "is_reserve": row.line.is_reserve,
                "amounts": amounts,
                "edited": [col.costs[index][2] for col in columns] if row.depth == 0 else [],
            }
        )
        for child in row.children:
            walk(child, index)

    for index, root in enumerate(summary.cost_rows):
        walk(root, index)
    return rows


def langtidsbudget_data(summary: BudgetSummary) -> dict[str, Any]:
    """The year and the two following as JSON: state scenario, member parts, cost lines, results."""
    columns = summary.long_term
    return {
        "finns": True,
        "year": summary.budget.year,
        "financing_specified": summary.financing_specified,
        "uses_eget_kapital": any(col.eget_kapital_use for col in columns),
        "has_other_income": any(col.other_income for col in columns),
        "columns": [
            {
                "year": col.year,
                "state_change_percent": _percent(col.state_change_percent),
                "state": col.state,
                "driftsbidrag": col.driftsbidrag,
                "eget_kapital_use": col.eget_kapital_use,
                "other_income": col.other_income,
                "income_total": col.income_total,
                "cost_total": col.cost_total,
                "result": col.result,
                "unallocated": col.unallocated,
                "eget_kapital_closing": col.eget_kapital_closing,
            }
            for col in columns
        ],
        "parts": [
            {"kind": part.kind, "name": part.name, "amounts": [col.parts[i].amount for col in columns]}
            for i, part in enumerate(summary.parts)
        ],
        "costs": _long_term_cost_rows(summary),
    }


def _summary(forbund: Forbund, year: int) -> BudgetSummary | None:
    """The year's budget summary, computed once per plan document for both sections.

    Inside a document's reading (apps.plans.datasections.shared_reads) the budget and the
    långtidsbudget share one summary; anywhere else each call computes afresh, so nothing read
    before a change can outlive the document it was read for.
    """
    reads = shared()
    if reads is None:
        return selectors.budget_summary(forbund=forbund, year=year)
    key = ("budgets.budget_summary", forbund.pk, year)
    if key not in reads:
        reads[key] = selectors.budget_summary(forbund=forbund, year=year)
    return reads[key]


def render_budget(forbund: Forbund, year: int) -> dict[str, Any]:
    """Data section "budget": the year's budget, or {"finns": False} when there is none."""
    summary = _summary(forbund, year)
    return _missing(year) if summary is None else budget_data(summary)


def render_langtidsbudget(forbund: Forbund, year: int) -> dict[str, Any]:
    """Data section "langtidsbudget": the year and the two following, or {"finns": False}."""
    summary = _summary(forbund, year)
    return _missing(year) if summary is None else langtidsbudget_data(summary)


register("budget", "Budget", render_budget, template_name="budgets/plan_budget.html")
register(
    "langtidsbudget",
    "Långtidsbudget",
    render_langtidsbudget,
    template_name="budgets/plan_langtidsbudget.html",
)
