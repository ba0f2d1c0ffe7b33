"""Utfall pages: upload → preview → confirm, imports with undo, account mappings, follow-up, prognosis."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.tenancy.access import get_tenant_object, require_ability

from .. import selectors as budget_selectors
from ..models import CostLine, IncomeLine, PrognosisOverride, UtfallStatus
from . import selectors, services
from .forms import AccountMappingForm, PrognosisForm, UtfallUploadForm
from .selectors import MONTH_NAMES


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- Import ---------------------------------------------------------------------------------


def _imports_page(request, form, status=200):
    return render(
        request,
        "budgets/utfall/index.html",
        {"form": form, "imports": list(selectors.utfall_import_list(forbund=request.forbund))},
        status=status,
    )


@require_ability("plan_edit")
@require_http_methods(["GET", "POST"])
def utfall_index(request, forbund_slug):
    years = list(budget_selectors.budget_list(forbund=request.forbund).values_list("year", flat=True))
    form = UtfallUploadForm(request.POST or None, request.FILES or None, years=years)
    if request.method == "GET":
        return _imports_page(request, form)
    if not form.is_valid():
        return _imports_page(request, form, status=400)
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
        _add_errors(form, exc)
        return _imports_page(request, form, status=400)
    return redirect("utfall_preview", forbund_slug=forbund_slug, public_id=job.public_id)


def _job(request, public_id):
    return get_tenant_object(
        request,
        selectors.utfall_import_queryset(forbund=request.forbund),
        public_id=public_id,
        ability="plan_edit",
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


@require_GET
def utfall_preview(request, forbund_slug, public_id):
    job = _job(request, public_id)
    if job.status != UtfallStatus.PREVIEW:
        messages.info(request, "Den filen är redan hanterad. Ladda upp en ny fil för en ny import.")
        return redirect("utfall_index", forbund_slug=forbund_slug)
    return _preview_page(request, job, services.utfall_import_preview(job=job))


@require_POST
def utfall_confirm(request, forbund_slug, public_id):
    job = _job(request, public_id)
    mapped = services.utfall_import_confirm(job=job, actor=request.user)
    if mapped.has_errors:
        job.refresh_from_db()
        return _preview_page(request, job, mapped)
    messages.success(request, f"Utfallet är importerat: {len(mapped.rows)} rader för {job.year}.")
    return redirect("utfall_index", forbund_slug=forbund_slug)


@require_POST
def utfall_undo(request, forbund_slug, public_id):
    job = _job(request, public_id)
    try:
        services.utfall_import_undo(forbund=request.forbund, actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Importen {job.filename} är ångrad.")
    return redirect("utfall_index", forbund_slug=forbund_slug)


# --- Kontokopplingar ------------------------------------------------------------------------


def _line_choices(request):
    cost = list(CostLine.objects.filter(forbund=request.forbund).select_related("budget"))
    income = list(IncomeLine.objects.filter(forbund=request.forbund).select_related("budget"))
    choices = [(f"cost:{c.public_id}", f"{c.budget.year} – kostnad: {c}") for c in cost]
    choices += [(f"income:{i.public_id}", f"{i.budget.year} – intäkt: {i.name}") for i in income]
    lines = dict(zip([k for k, _ in choices], [*cost, *income], strict=True))
    return sorted(choices, key=lambda c: c[1]), lines


@require_ability("plan_edit")
@require_http_methods(["GET", "POST"])
def account_mappings(request, forbund_slug):
    choices, lines = _line_choices(request)
    form = AccountMappingForm(request.POST or None, line_choices=choices)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["line"]
        line = lines[key]
        try:
            services.account_mapping_create(
                forbund=request.forbund,
                actor=request.user,
                accounts=form.cleaned_data["accounts"],
                cost_line=line if key.startswith("cost:") else None,
                income_line=None if key.startswith("cost:") else line,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Kontot {form.cleaned_data['accounts']} är kopplat.")
            return redirect("utfall_accounts", forbund_slug=forbund_slug)
    return render(
        request,
        "budgets/utfall/accounts.html",
        {"form": form, "mappings": list(selectors.account_mapping_list(forbund=request.forbund))},
        status=400 if form.is_bound else 200,
    )


@require_POST
def account_mapping_delete(request, forbund_slug, public_id):
    mapping = get_tenant_object(
        request,
        selectors.account_mapping_list(forbund=request.forbund),
        public_id=public_id,
        ability="plan_edit",
    )
    services.account_mapping_delete(forbund=request.forbund, actor=request.user, mapping=mapping)
    messages.success(request, f"Kopplingen för {mapping.accounts} är borttagen.")
    return redirect("utfall_accounts", forbund_slug=forbund_slug)


# --- Uppföljning ----------------------------------------------------------------------------


@require_ability("plan_view")
@require_GET
def followup(request, forbund_slug, year):
    follow = selectors.followup(forbund=request.forbund, year=year)
    if follow is None:
        raise Http404
    return render(
        request, "budgets/utfall/followup.html", {"follow": follow, "chart": selectors.chart(follow)}
    )


@require_http_methods(["GET", "POST"])
def prognosis_edit(request, forbund_slug, public_id):
    if request.forbund is None:
        raise Http404
    line = (
        CostLine.objects.filter(forbund=request.forbund, public_id=public_id).select_related("budget").first()
    )
    kind = "cost"
    if line is None:
        kind = "income"
        line = get_tenant_object(
            request, IncomeLine.objects.select_related("budget"), public_id=public_id, ability="plan_edit"
        )
    elif not request.abilities.get("plan_edit"):
        get_tenant_object(request, CostLine.objects.all(), public_id=public_id, ability="plan_edit")
    year = line.budget.year
    lookup = {"cost_line": line} if kind == "cost" else {"income_line": line}
    override = PrognosisOverride.objects.filter(forbund=request.forbund, year=year, **lookup).first()
    back = reverse("utfall_followup", args=[forbund_slug, year])
    if request.method == "POST" and "rensa" in request.POST:
        if override is not None:
            services.prognosis_override_clear(forbund=request.forbund, actor=request.user, override=override)
        messages.success(request, f"Prognosen för {line} följer nu utfallet.")
        return redirect(back)
    initial = {"amount": override.amount, "comment": override.comment} if override else None
    form = PrognosisForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.prognosis_override_set(
                forbund=request.forbund, actor=request.user, year=year, **lookup, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Prognosen för {line} är sparad.")
            return redirect(back)
    return render(
        request,
        "budgets/utfall/prognosis.html",
        {"form": form, "line": line, "year": year, "override": override, "back": back},
        status=400 if form.is_bound else 200,
    )
