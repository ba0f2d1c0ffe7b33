"""Writes of budgets, income and cost lines and the långtidsbudget: validated, atomic, audited."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from apps.core.services import assign_fields, check_same_forbund, move
from apps.tenancy.audit import audited_by
from apps.tenancy.models import Forbund

from .models import Budget, CostLine, IncomeLine, LongTermCost, LongTermYear

# A budget's settings, in the order the settings form shows them.
BUDGET_FIELDS = (
    "input_mode",
    "input_amount",
    "state_split",
    "kommun_split",
    "eget_kapital_opening",
    "display",
    "notes",
)


INCOME_LINE_FIELDS = frozenset({"kind", "name", "amount"})


# --- Budget ---------------------------------------------------------------------------


def budget_create(*, forbund: Forbund, actor, year: int, **fields) -> Budget:
    """Create the budget of a year (one per förbund and year)."""
    with transaction.atomic(), audited_by(actor):
        budget = Budget(forbund=forbund, year=year)
        assign_fields(budget, fields, allowed=BUDGET_FIELDS)
        if year is not None and Budget.objects.filter(forbund=forbund, year=year).exists():
            raise ValidationError({"year": f"Det finns redan en budget för {year}."})
        budget.full_clean()
        budget.save()
    return budget


def budget_update(*, forbund: Forbund, actor, budget: Budget, **fields) -> Budget:
    """Change a budget's settings (driftsbidrag, how it is split and shown, eget kapital)."""
    check_same_forbund(forbund, budget=budget)
    with transaction.atomic(), audited_by(actor):
        assign_fields(budget, fields, allowed=BUDGET_FIELDS)
        budget.full_clean()
        budget.save()
    return budget


def budget_delete(*, forbund: Forbund, actor, budget: Budget) -> None:
    """Delete a budget with all its lines and its långtidsbudget."""
    check_same_forbund(forbund, budget=budget)
    with transaction.atomic(), audited_by(actor):
        budget.delete()


# --- Intäktsrader ---------------------------------------------------------------------


def _next_position(queryset) -> int:
    last = queryset.aggregate(m=Max("position"))["m"]
    return 0 if last is None else last + 1


def income_line_create(*, forbund: Forbund, actor, budget: Budget, **fields) -> IncomeLine:
    """Add an income line last in the budget's income table."""
    check_same_forbund(forbund, budget=budget)
    with transaction.atomic(), audited_by(actor):
        line = IncomeLine(
            forbund=forbund,
            budget=budget,
            position=_next_position(IncomeLine.objects.filter(forbund=forbund, budget=budget)),
        )
        assign_fields(line, fields, allowed=INCOME_LINE_FIELDS)
        line.full_clean()
        line.save()
    return line


def income_line_update(*, forbund: Forbund, actor, income_line: IncomeLine, **fields) -> IncomeLine:
    """Change an income line."""
    check_same_forbund(forbund, income_line=income_line)
    with transaction.atomic(), audited_by(actor):
        assign_fields(income_line, fields, allowed=INCOME_LINE_FIELDS)
        income_line.full_clean()
        income_line.save()
    return income_line


def income_line_delete(*, forbund: Forbund, actor, income_line: IncomeLine) -> None:
    """Delete an income line."""
    check_same_forbund(forbund, income_line=income_line)
    with transaction.atomic(), audited_by(actor):
        income_line.delete()


def income_line_move(*, forbund: Forbund, actor, income_line: IncomeLine, up: bool) -> bool:
    """Move an income line one step up or down; False at either end."""
    check_same_forbund(forbund, income_line=income_line)
    with transaction.atomic(), audited_by(actor):
        siblings = IncomeLine.objects.filter(forbund=forbund, budget_id=income_line.budget_id)
        return move(siblings.order_by("position", "id"), income_line, up=up)


# --- Kostnadsrader --------------------------------------------------------------------

COST_FIELDS = {"parent", "account_code", "name", "amount", "insats", "is_reserve"}


def _check_cost_line(line: CostLine) -> None:
    """The rules of the cost hierarchy, in Swedish."""
    errors: dict[str, str] = {}
    parent = line.parent
    if parent is not None:
        if parent.budget_id != line.budget_id:
            errors["parent"] = "Huvudraden hör till en annan budget."
        elif parent.parent_id is not None:
            errors["parent"] = "En underrad kan inte ha egna underrader. Välj en huvudrad."
        elif line.pk is not None and parent.pk == line.pk:
            errors["parent"] = "En rad kan inte vara underrad till sig själv."
        elif parent.amount is not None:
            errors["parent"] = (
                f"{parent.name} har ett eget belopp. Ta bort beloppet där innan du lägger till underrader; "
                "huvudradens belopp blir summan av underraderna."
            )
        elif parent.insats_id is not None:
            errors["parent"] = f"{parent.name} är kopplad till en insats och kan inte ha underrader."
    has_children = (
        line.pk is not None and CostLine.objects.filter(forbund_id=line.forbund_id, parent=line).exists()
    )
    if has_children:
        if line.parent_id is not None:
            errors["parent"] = "En rad med underrader kan inte själv bli underrad."
        if line.amount is not None:
            errors["amount"] = "Raden har underrader: dess belopp är summan av dem och kan inte anges."
        if line.insats_id is not None:
            errors["insats"] = "En rad med underrader kan inte kopplas till en insats."
    if line.insats_id is not None and line.amount is not None:
        errors["amount"] = (
            "Lämna beloppet tomt: en rad kopplad till en insats får sitt belopp "
            "från insatsens budget för året."
        )
    if errors:
        raise ValidationError(errors)


def cost_line_create(*, forbund: Forbund, actor, budget: Budget, **fields) -> CostLine:
    """Add a cost line (or a sub-line under ``parent``) last among its siblings."""
    check_same_forbund(forbund, budget=budget, parent=fields.get("parent"), insats=fields.get("insats"))
    with transaction.atomic(), audited_by(actor):
        line = CostLine(forbund=forbund, budget=budget)
        assign_fields(line, fields, allowed=COST_FIELDS)
        line.position = _next_position(
            CostLine.objects.filter(forbund=forbund, budget=budget, parent_id=line.parent_id)
        )
        line.full_clean()
        _check_cost_line(line)
        line.save()
    return line


def cost_line_update(*, forbund: Forbund, actor, cost_line: CostLine, **fields) -> CostLine:
    """Change a cost line; moving it under another parent puts it last there."""
    check_same_forbund(forbund, cost_line=cost_line, parent=fields.get("parent"), insats=fields.get("insats"))
    with transaction.atomic(), audited_by(actor):
        old_parent = cost_line.parent_id
        assign_fields(cost_line, fields, allowed=COST_FIELDS)
        if cost_line.parent_id != old_parent:
            cost_line.position = _next_position(
                CostLine.objects.filter(
                    forbund=forbund, budget_id=cost_line.budget_id, parent_id=cost_line.parent_id
                )
            )
        cost_line.full_clean()
        _check_cost_line(cost_line)
        cost_line.save()
    return cost_line


def cost_line_delete(*, forbund: Forbund, actor, cost_line: CostLine) -> None:
    """Delete a cost line with its sub-lines."""
    check_same_forbund(forbund, cost_line=cost_line)
    with transaction.atomic(), audited_by(actor):
        cost_line.delete()


def cost_line_move(*, forbund: Forbund, actor, cost_line: CostLine, up: bool) -> bool:
    """Move a cost line one step up or down among its siblings; False at either end."""
    check_same_forbund(forbund, cost_line=cost_line)
    with transaction.atomic(), audited_by(actor):
        siblings = CostLine.objects.filter(
            forbund=forbund, budget_id=cost_line.budget_id, parent_id=cost_line.parent_id
        )
        return move(siblings.order_by("position", "id"), cost_line, up=up)


# --- Långtidsbudget -------------------------------------------------------------------


def long_term_year_set(
    *,
    forbund: Forbund,
    actor,
    budget: Budget,
    year: int,
    state_change_percent: Decimal,
    eget_kapital_use: int = 0,
    overrides: dict[CostLine, int | None] | None = None,
) -> LongTermYear:
    """Set one following year's state scenario, eget kapital use and per-line amounts (sub-lines too)."""
    check_same_forbund(forbund, budget=budget)
    if year not in (budget.year + 1, budget.year + 2):
        raise ValidationError(
            {"year": f"Långtidsbudgeten gäller {budget.year + 1} och {budget.year + 2}, inte {year}."}
        )
    with transaction.atomic(), audited_by(actor):
        row = LongTermYear.objects.filter(forbund=forbund, budget=budget, year=year).first() or LongTermYear(
            forbund=forbund, budget=budget, year=year
        )
        row.state_change_percent = state_change_percent
        row.eget_kapital_use = eget_kapital_use
        row.full_clean()
        row.save()
        existing = {
            c.cost_line_id: c for c in LongTermCost.objects.filter(forbund=forbund, long_term_year=row)
        }
        for line, amount in (overrides or {}).items():
            check_same_forbund(forbund, cost_line=line)
            if line.budget_id != budget.pk:
                raise ValidationError("Bara budgetens egna rader kan ändras i långtidsbudgeten.")
            current = existing.get(line.pk)
            if amount is None:
                if current is not None:
                    current.delete()
                continue
            cost = current or LongTermCost(forbund=forbund, long_term_year=row, cost_line=line)
            cost.amount = amount
            cost.full_clean()
            cost.save()
    return row
