"""Utfall pages: upload → preview → confirm, imports with undo, account mappings, follow-up, prognosis."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.core.links import row_url
from apps.core.views import apply_service_errors, render_form, save_form, tenant_view
from apps.tenancy.access import get_tenant_object

from .. import selectors as budget_selectors
from ..models import CostLine, IncomeLine, PrognosisOverride, UtfallStatus
from . import selectors, services
from .forms import AccountMappingForm, PrognosisForm, UtfallUploadForm
from .selectors import MONTH_NAMES

VIEW = "plan_view"
EDIT = "plan_edit"
FORM_METHODS = ("GET", "POST")
POST = ("POST",)


# --- Import ---------------------------------------------------------------------------------


def _imports_page(request, form):
    return render_form(
        request,
        "budgets/utfall/index.html",
        {"form": form, "imports": list(selectors.utfall_import_list(forbund=request.forbund))},
    )


@tenant_view(EDIT, methods=FORM_METHODS)
def utfall_import_list(request, forbund_slug):
    years = list(budget_selectors.budget_list(forbund=request.forbund).values_list("year", flat=True))
    form = UtfallUploadForm(request.POST or None, request.FILES or None, years=years)
    if request.method == "GET":
        return _imports_page(request, form)
    if not form.is_valid():
        return _imports_page(request, form)
    upload = form.cleaned_data["file"]
    try:
        job = services.utfall_import_create(
            forbund=request.forbund,
            actor=request.user,
            year=form.cleaned_data["year"],
            filename=upload.name,
            content=upload.read(),
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _imports_page(request, form)
    return redirect("budgets:utfall_import_preview", forbund_slug=forbund_slug, public_id=job.public_id)


def _job(request, public_id):
    return get_tenant_object(
        request,
        selectors.utfall_import_queryset(forbund=request.forbund),
        public_id=public_id,
    )


def _preview_page(request, job, mapped):
    return render(
        request,
        "budgets/utfall/preview.html",
        {
            "job": job,
            "mapped": mapped,
            "months": MONTH_NAMES,
            "can_confirm": job.status == UtfallStatus.PREVIEW and not mapped.has_errors,
        },
        status=400 if mapped.has_errors else 200,
    )


@tenant_view(EDIT)
def utfall_import_preview(request, forbund_slug, public_id):
    job = _job(request, public_id)
    if job.status != UtfallStatus.PREVIEW:
        messages.info(request, "Den filen är redan hanterad. Ladda upp en ny fil för en ny import.")
        return redirect("budgets:utfall_import_list", forbund_slug=forbund_slug)
    return _preview_page(
        request,
        job,
        services.utfall_import_preview(forbund=request.forbund, actor=request.user, utfall_import=job),
    )


@tenant_view(EDIT, methods=POST)
def utfall_import_confirm(request, forbund_slug, public_id):
    job = _job(request, public_id)
    mapped = services.utfall_import_confirm(forbund=request.forbund, actor=request.user, utfall_import=job)
    if mapped.has_errors:
        job.refresh_from_db()
        return _preview_page(request, job, mapped)
    messages.success(request, f"Utfallet är importerat: {len(mapped.rows)} rader för {job.year}.")
    return redirect("budgets:utfall_import_list", forbund_slug=forbund_slug)


@tenant_view(EDIT, methods=POST)
def utfall_import_undo(request, forbund_slug, public_id):
    job = _job(request, public_id)
    try:
        services.utfall_import_undo(forbund=request.forbund, actor=request.user, utfall_import=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Importen {job.filename} är ångrad.")
    return redirect("budgets:utfall_import_list", forbund_slug=forbund_slug)


# --- Kontokopplingar ------------------------------------------------------------------------


def _line_choices(request):
    cost = list(CostLine.objects.filter(forbund=request.forbund).select_related("budget"))
    income = list(IncomeLine.objects.filter(forbund=request.forbund).select_related("budget"))
    choices = [(f"cost:{c.public_id}", f"{c.budget.year} – kostnad: {c}") for c in cost]
    choices += [(f"income:{i.public_id}", f"{i.budget.year} – intäkt: {i.name}") for i in income]
    lines = dict(zip([k for k, _ in choices], [*cost, *income], strict=True))
    return sorted(choices, key=lambda c: c[1]), lines


@tenant_view(EDIT, methods=FORM_METHODS)
def account_mapping_list(request, forbund_slug):
    choices, lines = _line_choices(request)
    form = AccountMappingForm(request.POST or None, line_choices=choices)

    def create(data):
        line = lines[data["line"]]
        is_cost = data["line"].startswith("cost:")
        return services.account_mapping_create(
            forbund=request.forbund,
            actor=request.user,
            accounts=data["accounts"],
            cost_line=line if is_cost else None,
            income_line=None if is_cost else line,
        )

    if request.method == "POST" and save_form(form, create):
        messages.success(request, f"Kontot {form.cleaned_data['accounts']} är kopplat.")
        return redirect("budgets:account_mapping_list", forbund_slug=forbund_slug)
    return render_form(
        request,
        "budgets/utfall/accounts.html",
        {"form": form, "mappings": list(selectors.account_mapping_list(forbund=request.forbund))},
    )


@tenant_view(EDIT, methods=POST)
def account_mapping_delete(request, forbund_slug, public_id):
    mapping = get_tenant_object(
        request, selectors.account_mapping_list(forbund=request.forbund), public_id=public_id
    )
    services.account_mapping_delete(forbund=request.forbund, actor=request.user, account_mapping=mapping)
    messages.success(request, f"Kopplingen för {mapping.accounts} är borttagen.")
    return redirect("budgets:account_mapping_list", forbund_slug=forbund_slug)


# --- Uppföljning ----------------------------------------------------------------------------


@tenant_view(VIEW)
def followup(request, forbund_slug, year):
    follow = selectors.followup(forbund=request.forbund, year=year)
    if follow is None:
        raise Http404
    if request.abilities.get(EDIT):
        edit_url = row_url("budgets:prognosis_edit", forbund_slug)
        for row in (*follow.cost_lines, *follow.income_lines):
            row.edit_url = edit_url(row.line.public_id)
    return render(
        request, "budgets/utfall/followup.html", {"follow": follow, "chart": selectors.chart(follow)}
    )


@tenant_view(EDIT, methods=FORM_METHODS)
def prognosis_edit(request, forbund_slug, public_id):
    # The id may name a cost line or an income line: both have a prognosis.
    line = (
        CostLine.objects.filter(forbund=request.forbund, public_id=public_id).select_related("budget").first()
    )
    kind = "cost"
    if line is None:
        kind = "income"
        line = get_tenant_object(request, IncomeLine.objects.select_related("budget"), public_id=public_id)
    year = line.budget.year
    lookup = {"cost_line": line} if kind == "cost" else {"income_line": line}
    override = PrognosisOverride.objects.filter(forbund=request.forbund, year=year, **lookup).first()
    back = reverse("budgets:followup", args=[forbund_slug, year])
    if request.method == "POST" and "rensa" in request.POST:
        if override is not None:
            services.prognosis_override_clear(
                forbund=request.forbund, actor=request.user, prognosis_override=override
            )
        messages.success(request, f"Prognosen för {line} följer nu utfallet.")
        return redirect(back)
    initial = {"amount": override.amount, "comment": override.comment} if override else None
    form = PrognosisForm(request.POST or None, initial=initial)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.prognosis_override_set(
            forbund=request.forbund, actor=request.user, year=year, **lookup, **data
        ),
    ):
        messages.success(request, f"Prognosen för {line} är sparad.")
        return redirect(back)
    return render_form(
        request,
        "budgets/utfall/prognosis.html",
        {"form": form, "line": line, "year": year, "override": override, "back": back},
    )
