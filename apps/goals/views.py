"""Pages about målområden and delmål: one page per year, forms, and htmx in place."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from apps.tenancy.access import get_tenant_object, require_ability
from apps.tenancy.years import default_year

from . import selectors, services
from .forms import DelmalForm, MalomradeForm, add_service_errors
from .models import Malomrade

MIN_YEAR, MAX_YEAR = 2000, 2100
DIRECTIONS = {"upp": "up", "ned": "down"}


def _year_url(forbund, year: int, anchor: str = "") -> str:
    url = reverse("malomrade_list", args=[forbund.slug, year])
    return f"{url}#{anchor}" if anchor else url


def _add_prefix(malomrade: Malomrade) -> str:
    """A form prefix per målområde, so the many add forms on one page have unique ids."""
    return f"ny-{malomrade.public_id.hex[:8]}"


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404


@require_ability("plan_view")
def goals_index(request, forbund_slug):
    """The year chosen in the year picker (?ar=), else the current year when it has goals,
    else the latest year that has (a förbund in its plan year's autumn works on next year)."""
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        year = default_year(timezone.localdate().year, selectors.goal_years(forbund=request.forbund))
    if not MIN_YEAR <= year <= MAX_YEAR:
        year = timezone.localdate().year
    return redirect("malomrade_list", forbund_slug, year)


@require_ability("plan_view")
def malomrade_list(request, forbund_slug, year):
    _check_year(year)
    forbund = request.forbund
    malomraden = list(selectors.malomrade_list(forbund=forbund, year=year))
    this_year = timezone.localdate().year
    data_years = selectors.goal_years(forbund=forbund)
    years = sorted(set(data_years) | {this_year, this_year + 1, year})
    period = request.GET.get("period", "")
    if period not in selectors.PERIODS:
        period = selectors.DEFAULT_PERIOD
    computed = [d for m in malomraden for d in m.delmal.all() if d.is_computed]
    until_month = None
    if computed:
        until_month = selectors.period_until_month(forbund=forbund, year=year, period=period)
        results = selectors.delmal_results(
            forbund=forbund, year=year, delmal=computed, until_month=until_month
        )
        for delmal in computed:
            delmal.result = results[delmal.pk]
    if request.abilities["plan_edit"]:
        choices = selectors.insats_options(forbund=forbund)
        for malomrade in malomraden:
            malomrade.add_form = DelmalForm(
                prefix=_add_prefix(malomrade), forbund=forbund, insats_choices=choices
            )
    return render(
        request,
        "goals/malomrade_list.html",
        {
            "year": year,
            "years": years,
            "data_years": data_years,
            "previous_year": year - 1 if year > MIN_YEAR else None,
            "next_year": year + 1 if year < MAX_YEAR else None,
            "malomraden": malomraden,
            "has_computed": bool(computed),
            "periods": [(key, label) for key, (label, _) in selectors.PERIODS.items()],
            "period": period,
            "period_text": _period_text(until_month),
        },
    )


def _period_text(until_month: int | None) -> str:
    """The months the computed costs cover, in words ("januari–maj")."""
    if not until_month:
        return ""
    return f"januari–{selectors.MONTH_NAMES[until_month - 1]}"


@require_ability("plan_edit")
def malomrade_create(request, forbund_slug, year):
    _check_year(year)
    forbund = request.forbund
    initial = {"number": selectors.next_malomrade_number(forbund=forbund, year=year)}
    form = MalomradeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            malomrade = services.malomrade_create(
                forbund=forbund, actor=request.user, year=year, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Målområde {malomrade.number} har lagts till.")
            return redirect(_year_url(forbund, year, f"malomrade-{malomrade.public_id}"))
    return render(request, "goals/malomrade_form.html", {"form": form, "year": year, "malomrade": None})


@require_ability("plan_edit")
def malomrade_edit(request, forbund_slug, public_id):
    malomrade = get_tenant_object(request, Malomrade.objects.all(), public_id=public_id, ability="plan_edit")
    form = MalomradeForm(request.POST or None, instance=malomrade)
    if request.method == "POST" and form.is_valid():
        try:
            services.malomrade_update(malomrade=malomrade, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Målområde {malomrade.number} har sparats.")
            return redirect(_year_url(request.forbund, malomrade.year, f"malomrade-{malomrade.public_id}"))
    return render(
        request,
        "goals/malomrade_form.html",
        {"form": form, "year": malomrade.year, "malomrade": malomrade},
    )


@require_ability("plan_edit")
def malomrade_delete(request, forbund_slug, public_id):
    malomrade = get_tenant_object(
        request,
        Malomrade.objects.prefetch_related("delmal"),
        public_id=public_id,
        ability="plan_edit",
    )
    if request.method == "POST":
        year, number = malomrade.year, malomrade.number
        services.malomrade_delete(malomrade=malomrade, actor=request.user)
        messages.success(request, f"Målområde {number} har tagits bort.")
        return redirect(_year_url(request.forbund, year))
    return render(
        request,
        "goals/confirm_delete.html",
        {
            "title": f"Ta bort målområde {malomrade.number}",
            "object_text": str(malomrade),
            "consequence": f"Målområdets {len(malomrade.delmal.all())} delmål tas också bort.",
            "back_url": _year_url(request.forbund, malomrade.year, f"malomrade-{malomrade.public_id}"),
        },
    )


@require_POST
@require_ability("plan_edit")
def malomrade_move(request, forbund_slug, public_id):
    malomrade = get_tenant_object(request, Malomrade.objects.all(), public_id=public_id, ability="plan_edit")
    direction = DIRECTIONS.get(request.POST.get("riktning", ""))
    if direction is None:
        messages.error(request, "Okänd riktning.")
    elif not services.malomrade_move(malomrade=malomrade, actor=request.user, direction=direction):
        messages.info(
            request, f"Målområde {malomrade.number} står redan {'först' if direction == 'up' else 'sist'}."
        )
    return redirect(_year_url(request.forbund, malomrade.year, f"malomrade-{malomrade.public_id}"))


@require_ability("plan_edit")
def delmal_create(request, forbund_slug, public_id):
    """Add a delmål: in place with htmx (a new row, or the form with errors), else a page."""
    forbund = request.forbund
    malomrade = get_tenant_object(request, Malomrade.objects.all(), public_id=public_id, ability="plan_edit")
    prefix = _add_prefix(malomrade)
    form = DelmalForm(request.POST or None, prefix=prefix, forbund=forbund)
    if request.method == "POST" and form.is_valid():
        try:
            delmal = services.delmal_create(malomrade=malomrade, actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                fresh = DelmalForm(prefix=prefix, forbund=forbund)
                return render(
                    request,
                    "goals/_delmal_created.html",
                    {"malomrade": malomrade, "delmal": delmal, "form": fresh, "open": True},
                )
            messages.success(request, f"Delmål {delmal.label} har lagts till.")
            return redirect(_year_url(forbund, malomrade.year, f"delmal-{delmal.public_id}"))
    if request.htmx:
        response = render(
            request,
            "goals/_delmal_add.html",
            {"malomrade": malomrade, "form": form, "open": True},
        )
        return reswap(retarget(response, f"#delmal-add-{malomrade.public_id}"), "outerHTML")
    return render(request, "goals/delmal_form.html", {"form": form, "malomrade": malomrade, "delmal": None})


@require_ability("plan_edit")
def delmal_edit(request, forbund_slug, public_id):
    forbund = request.forbund
    delmal = get_tenant_object(
        request, selectors.delmal_for_edit(forbund=forbund), public_id=public_id, ability="plan_edit"
    )
    form = DelmalForm(request.POST or None, instance=delmal, forbund=forbund)
    if request.method == "POST" and form.is_valid():
        try:
            services.delmal_update(delmal=delmal, actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Delmål {delmal.label} har sparats.")
            return redirect(_year_url(forbund, delmal.malomrade.year, f"delmal-{delmal.public_id}"))
    return render(
        request,
        "goals/delmal_form.html",
        {"form": form, "malomrade": delmal.malomrade, "delmal": delmal},
    )


@require_ability("plan_edit")
def delmal_delete(request, forbund_slug, public_id):
    forbund = request.forbund
    delmal = get_tenant_object(
        request, selectors.delmal_for_edit(forbund=forbund), public_id=public_id, ability="plan_edit"
    )
    malomrade = delmal.malomrade
    if request.method == "POST":
        label = delmal.label
        services.delmal_delete(delmal=delmal, actor=request.user)
        messages.success(request, f"Delmål {label} har tagits bort.")
        return redirect(_year_url(forbund, malomrade.year, f"malomrade-{malomrade.public_id}"))
    return render(
        request,
        "goals/confirm_delete.html",
        {
            "title": f"Ta bort delmål {delmal.label}",
            "object_text": delmal.text,
            "consequence": "",
            "back_url": _year_url(forbund, malomrade.year, f"delmal-{delmal.public_id}"),
        },
    )


@require_POST
@require_ability("plan_edit")
def delmal_move(request, forbund_slug, public_id):
    forbund = request.forbund
    delmal = get_tenant_object(
        request, selectors.delmal_for_edit(forbund=forbund), public_id=public_id, ability="plan_edit"
    )
    direction = DIRECTIONS.get(request.POST.get("riktning", ""))
    if direction is None:
        messages.error(request, "Okänd riktning.")
    elif not services.delmal_move(delmal=delmal, actor=request.user, direction=direction):
        messages.info(
            request, f"Delmål {delmal.label} står redan {'först' if direction == 'up' else 'sist'}."
        )
    malomrade = delmal.malomrade
    return redirect(_year_url(forbund, malomrade.year, f"delmal-{delmal.public_id}"))
