"""Budget pages: the years, the year's computed budget, and forms for its lines."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.core.links import row_url
from apps.core.views import confirm_delete, form_page, moves_up, save_form, tenant_view
from apps.core.years import MAX_YEAR, MIN_YEAR, in_bounds
from apps.tenancy.access import get_tenant_object

from . import selectors, services
from .forms import BudgetCreateForm, BudgetSettingsForm, CostLineForm, IncomeLineForm, LongTermYearForm
from .models import Budget, CostLine, IncomeLine

VIEW = "plan_view"
EDIT = "plan_edit"
FORM_METHODS = ("GET", "POST")


def _deleted(request, *, label: str, back: str, delete, done: str):
    """The confirm-delete page of the budget: "Ta bort X?", then "X är borttagen."."""
    return confirm_delete(
        request,
        title=f"Ta bort {label}?",
        back=back,
        delete=delete,
        done=done,
        message=f"{label} är borttagen.",
    )


def _budget(request, year: int) -> Budget:
    budget = selectors.budget_get(forbund=request.forbund, year=year)
    if budget is None:
        raise Http404
    return budget


def _detail_url(request, year: int) -> str:
    return reverse("budgets:budget_detail", args=[request.forbund.slug, year])


# --- Budget ---------------------------------------------------------------------------


@tenant_view(VIEW)
def budget_list(request, forbund_slug):
    budgets = list(selectors.budget_list(forbund=request.forbund))
    wanted = request.GET.get("ar", "").strip()
    if wanted:
        # The year picker: a year with a budget opens it; another year offers to create one.
        year = int(wanted) if wanted.isdigit() else 0
        if not in_bounds(year):
            messages.error(request, f"Ange ett år mellan {MIN_YEAR} och {MAX_YEAR}.")
        elif any(b.year == year for b in budgets):
            return redirect(_detail_url(request, year))
        elif request.abilities.get(EDIT):
            return redirect(f"{reverse('budgets:budget_create', args=[forbund_slug])}?ar={year}")
        else:
            messages.info(request, f"Det finns ingen budget för {year}.")
    data_years = sorted(b.year for b in budgets)
    return render(
        request,
        "budgets/index.html",
        {"budgets": budgets, "data_years": data_years, "year": data_years[-1] if data_years else None},
    )


@tenant_view(EDIT, methods=FORM_METHODS)
def budget_create(request, forbund_slug):
    wanted = request.GET.get("ar", "")
    initial = {"year": int(wanted)} if wanted.isdigit() else None
    form = BudgetCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and save_form(
        form, lambda data: services.budget_create(forbund=request.forbund, actor=request.user, **data)
    ):
        messages.success(request, f"Budgeten för {form.cleaned_data['year']} är skapad.")
        return redirect(_detail_url(request, form.cleaned_data["year"]))
    return form_page(
        request, form, title="Ny budget", back=reverse("budgets:budget_list", args=[forbund_slug])
    )


@tenant_view(VIEW)
def budget_detail(request, forbund_slug, year):
    summary = selectors.budget_summary(forbund=request.forbund, year=year)
    if summary is None:
        raise Http404
    visning = request.GET.get("visning") or summary.budget.display
    if visning not in ("kr", "tkr"):
        visning = "kr"
    if request.abilities.get(EDIT):
        _set_row_links(request, summary)
    return render(
        request, "budgets/detail.html", {"summary": summary, "visning": visning, "budget": summary.budget}
    )


def _set_row_links(request, summary) -> None:
    """Each line's Ändra, Ta bort and Flytta links for the editor's budget page (one reverse()
    per kind of link, not one per row and link)."""
    slug = request.forbund.slug
    income = {kind: row_url(f"budgets:income_line_{kind}", slug) for kind in ("edit", "delete", "move")}
    cost = {kind: row_url(f"budgets:cost_line_{kind}", slug) for kind in ("edit", "delete", "move")}
    for line in summary.income_lines:
        line.links = {kind: url(line.public_id) for kind, url in income.items()}  # type: ignore[attr-defined]
    for row in summary.flat_cost_rows:
        row.links = {kind: url(row.line.public_id) for kind, url in cost.items()}  # type: ignore[attr-defined]


@tenant_view(EDIT, methods=FORM_METHODS)
def budget_edit(request, forbund_slug, year):
    budget = _budget(request, year)
    form = BudgetSettingsForm(request.POST or None, instance=budget)
    back = _detail_url(request, year)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.budget_update(
            forbund=request.forbund, actor=request.user, budget=budget, **data
        ),
    ):
        messages.success(request, f"Budgeten för {year} är sparad.")
        return redirect(back)
    return form_page(request, form, title=f"Inställningar för budget {year}", back=back)


@tenant_view(EDIT, methods=FORM_METHODS)
def budget_delete(request, forbund_slug, year):
    budget = _budget(request, year)
    return _deleted(
        request,
        label=f"Budget {year}",
        back=_detail_url(request, year),
        delete=lambda: services.budget_delete(forbund=request.forbund, actor=request.user, budget=budget),
        done=reverse("budgets:budget_list", args=[forbund_slug]),
    )


# --- Intäkter -------------------------------------------------------------------------


@tenant_view(EDIT, methods=FORM_METHODS)
def income_line_create(request, forbund_slug, year):
    budget = _budget(request, year)
    form = IncomeLineForm(request.POST or None)
    back = _detail_url(request, year)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.income_line_create(
            forbund=request.forbund, actor=request.user, budget=budget, **data
        ),
    ):
        messages.success(request, f"{form.cleaned_data['name']} är tillagd.")
        return redirect(back + "#intakter")
    return form_page(request, form, title=f"Ny intäktsrad {year}", back=back)


def _income(request, public_id) -> IncomeLine:
    return get_tenant_object(request, IncomeLine.objects.select_related("budget"), public_id=public_id)


@tenant_view(EDIT, methods=FORM_METHODS)
def income_line_edit(request, forbund_slug, public_id):
    line = _income(request, public_id)
    form = IncomeLineForm(request.POST or None, instance=line)
    back = _detail_url(request, line.budget.year)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.income_line_update(
            forbund=request.forbund, actor=request.user, income_line=line, **data
        ),
    ):
        messages.success(request, f"{line.name} är sparad.")
        return redirect(back + "#intakter")
    return form_page(request, form, title=f"Ändra {line.name}", back=back)


@tenant_view(EDIT, methods=FORM_METHODS)
def income_line_delete(request, forbund_slug, public_id):
    line = _income(request, public_id)
    back = _detail_url(request, line.budget.year)
    return _deleted(
        request,
        label=line.name,
        back=back,
        delete=lambda: services.income_line_delete(
            forbund=request.forbund, actor=request.user, income_line=line
        ),
        done=back + "#intakter",
    )


@tenant_view(EDIT, methods=("POST",))
def income_line_move(request, forbund_slug, public_id):
    line = _income(request, public_id)
    services.income_line_move(
        forbund=request.forbund, actor=request.user, income_line=line, up=moves_up(request)
    )
    return redirect(_detail_url(request, line.budget.year) + "#intakter")


# --- Kostnader ------------------------------------------------------------------------


def _cost_form(request, budget: Budget, instance=None, initial=None):
    parents = list(
        CostLine.objects.filter(forbund=request.forbund, budget=budget, parent__isnull=True).order_by(
            "position", "id"
        )
    )
    return CostLineForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        parents=parents,
        insatser=selectors.insats_choices(forbund=request.forbund),
    )


@tenant_view(EDIT, methods=FORM_METHODS)
def cost_line_create(request, forbund_slug, year):
    budget = _budget(request, year)
    initial = {"parent": request.GET.get("huvudrad", "")}
    form = _cost_form(request, budget, initial=initial)
    back = _detail_url(request, year)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.cost_line_create(
            forbund=request.forbund, actor=request.user, budget=budget, **data
        ),
    ):
        messages.success(request, f"{form.cleaned_data['name']} är tillagd.")
        return redirect(back + "#kostnader")
    return form_page(request, form, title=f"Ny kostnadsrad {year}", back=back)


def _cost(request, public_id) -> CostLine:
    return get_tenant_object(
        request,
        CostLine.objects.select_related("budget", "parent", "insats"),
        public_id=public_id,
    )


@tenant_view(EDIT, methods=FORM_METHODS)
def cost_line_edit(request, forbund_slug, public_id):
    line = _cost(request, public_id)
    form = _cost_form(request, line.budget, instance=line)
    back = _detail_url(request, line.budget.year)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.cost_line_update(
            forbund=request.forbund, actor=request.user, cost_line=line, **data
        ),
    ):
        messages.success(request, f"{line.name} är sparad.")
        return redirect(back + "#kostnader")
    return form_page(request, form, title=f"Ändra {line.name}", back=back)


@tenant_view(EDIT, methods=FORM_METHODS)
def cost_line_delete(request, forbund_slug, public_id):
    line = _cost(request, public_id)
    back = _detail_url(request, line.budget.year)
    return _deleted(
        request,
        label=line.name,
        back=back,
        delete=lambda: services.cost_line_delete(forbund=request.forbund, actor=request.user, cost_line=line),
        done=back + "#kostnader",
    )


@tenant_view(EDIT, methods=("POST",))
def cost_line_move(request, forbund_slug, public_id):
    line = _cost(request, public_id)
    services.cost_line_move(forbund=request.forbund, actor=request.user, cost_line=line, up=moves_up(request))
    return redirect(_detail_url(request, line.budget.year) + "#kostnader")


# --- Långtidsbudget -------------------------------------------------------------------


@tenant_view(EDIT, methods=FORM_METHODS)
def long_term_edit(request, forbund_slug, year, lt_year):
    budget = _budget(request, year)
    if lt_year not in (year + 1, year + 2):
        raise Http404
    summary = selectors.budget_summary(forbund=request.forbund, year=year)
    column = next(c for c in summary.long_term if c.year == lt_year)
    # Sub-lines too: a plan may give a later year per sub-line, the main line then their sum.
    rows = summary.flat_cost_rows
    lines = [row.line for row in rows]
    carried = {row.line.pk: row.amount for row in rows}
    initial = {
        "state_change_percent": column.state_change_percent,
        "eget_kapital_use": column.eget_kapital_use,
    }
    stored = {c.cost_line_id: c.amount for c in column.settings.costs.all()} if column.settings else {}
    for line in lines:
        if stored.get(line.pk) is not None:
            initial[f"line_{line.public_id.hex}"] = stored[line.pk]
    form = LongTermYearForm(request.POST or None, initial=initial, lines=lines, carried=carried)
    back = _detail_url(request, year) + "#langtidsbudget"
    if request.method == "POST" and save_form(
        form,
        lambda data: services.long_term_year_set(
            forbund=request.forbund,
            actor=request.user,
            budget=budget,
            year=lt_year,
            state_change_percent=data["state_change_percent"],
            eget_kapital_use=data["eget_kapital_use"],
            overrides=form.overrides(),
        ),
    ):
        messages.success(request, f"Långtidsbudgeten för {lt_year} är sparad.")
        return redirect(back)
    return form_page(request, form, title=f"Långtidsbudget {lt_year}", back=back)
