"""The budget's data sections in the verksamhetsplan: "budget" and "langtidsbudget".

Both renderers turn :func:`apps.budgets.selectors.budget_summary` into plain JSON (ints for
kronor, strings for percentages) so that an adopted plan version can freeze them; the templates
``budgets/plan_budget.html`` and ``budgets/plan_langtidsbudget.html`` render only that JSON.
Each renderer runs the summary's fixed number of queries, whatever the number of lines.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from apps.plans.datasections import register
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


def langtidsbudget_data(summary: BudgetSummary) -> dict[str, Any]:
    """The year and the two following as JSON: state scenario, member parts, cost lines, results."""
    columns = summary.long_term
    return {
        "finns": True,
        "year": summary.budget.year,
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
                "unallocated": max(col.result, 0),
                "eget_kapital_closing": col.eget_kapital_closing,
            }
            for col in columns
        ],
        "parts": [
            {"kind": part.kind, "name": part.name, "amounts": [col.parts[i].amount for col in columns]}
            for i, part in enumerate(summary.parts)
        ],
        "costs": [
            {
                "label": str(row.line),
                "amounts": [col.costs[i][1] for col in columns],
                "edited": [col.costs[i][2] for col in columns],
            }
            for i, row in enumerate(summary.cost_rows)
        ],
    }


def render_budget(forbund: Forbund, year: int) -> dict[str, Any]:
    """Data section "budget": the year's budget, or {"finns": False} when there is none."""
    summary = selectors.budget_summary(forbund=forbund, year=year)
    return _missing(year) if summary is None else budget_data(summary)


def render_langtidsbudget(forbund: Forbund, year: int) -> dict[str, Any]:
    """Data section "langtidsbudget": the year and the two following, or {"finns": False}."""
    summary = selectors.budget_summary(forbund=forbund, year=year)
    return _missing(year) if summary is None else langtidsbudget_data(summary)


register("budget", "Budget", render_budget, template_name="budgets/plan_budget.html")
register(
    "langtidsbudget",
    "Långtidsbudget",
    render_langtidsbudget,
    template_name="budgets/plan_langtidsbudget.html",
)
