"""Pages about målområden and delmål: one page per year, forms, and htmx in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django_htmx.http import reswap, retarget

from apps.core.formatting import MONTH_NAMES
from apps.core.views import confirm_delete, form_page, moves_up, save_form, tenant_view
from apps.core.years import MAX_YEAR, MIN_YEAR, default_year, in_bounds, parse_year, this_year
from apps.tenancy.access import get_tenant_object

from . import selectors, services
from .forms import DelmalForm, MalomradeForm
from .fragments import delmal_row, rendered_once
from .models import Malomrade

VIEW = "plan_view"
EDIT = "plan_edit"
FORM_METHODS = ("GET", "POST")


def _year_url(forbund, year: int, anchor: str = "") -> str:
    url = reverse("goals:malomrade_list", args=[forbund.slug, year])
    return f"{url}#{anchor}" if anchor else url


def _fragments(request, forbund) -> dict[str, Callable[[UUID, Any], SafeString]]:
    """The year page's per-row fragments for editors, each rendered once (apps.goals.fragments)."""
    context = {"forbund": forbund, "csrf_token": get_token(request)}
    return {
        "delmal_actions": rendered_once("goals/_delmal_actions.html", "delmal", context),
        "malomrade_actions": rendered_once("goals/_malomrade_actions.html", "malomrade", context),
        "delmal_add": rendered_once(
            "goals/_delmal_add.html", "malomrade", {**context, "form": None, "open": False}
        ),
    }


def _add_prefix(malomrade: Malomrade) -> str:
    """A form prefix per målområde, so the many add forms on one page have unique ids."""
    return f"ny-{malomrade.public_id.hex[:8]}"


def _check_year(year: int) -> None:
    if not in_bounds(year):
        raise Http404


@tenant_view(VIEW)
def index(request, forbund_slug):
    """The year chosen in the year picker (?ar=), else the current year when it has goals,
    else the latest year that has (a förbund in its plan year's autumn works on next year)."""
    default = default_year(this_year(), selectors.goal_years(forbund=request.forbund))
    year = parse_year(request.GET.get("ar"), default=default)
    return redirect("goals:malomrade_list", forbund_slug, year)


@tenant_view(VIEW)
def malomrade_list(request, forbund_slug, year):
    _check_year(year)
    forbund = request.forbund
    malomraden = list(selectors.malomrade_list(forbund=forbund, year=year))
    today_year = this_year()
    data_years = selectors.goal_years(forbund=forbund)
    years = sorted(set(data_years) | {today_year, today_year + 1, year})
    period = request.GET.get("period", "")
    if period not in selectors.PERIODS:
        period = selectors.DEFAULT_PERIOD
    computed, until_month, results = selectors.computed_delmal_results(
        forbund=forbund, year=year, malomraden=malomraden, period=period
    )
    for delmal in computed:
        delmal.result = results[delmal.pk]
    edit = request.abilities[EDIT]
    if edit:
        # Each row's actions and add form filled into HTML rendered once per page, not rendered per row.
        fragments = _fragments(request, forbund)
        for malomrade in malomraden:
            malomrade.actions = fragments["malomrade_actions"](malomrade.public_id, malomrade.number)
            malomrade.add = fragments["delmal_add"](malomrade.public_id, malomrade.number)
            for delmal in malomrade.delmal.all():
                delmal.actions = fragments["delmal_actions"](delmal.public_id, delmal.label)
    for malomrade in malomraden:
        for delmal in malomrade.delmal.all():
            delmal.row = delmal_row(delmal, edit=edit)
    # The add-delmål forms (every insats a choice) are not built here: each målområde's form is
    # fetched when its "Lägg till delmål" is opened (delmal_create, GET with htmx).
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
    return f"januari–{MONTH_NAMES[until_month - 1]}"


@tenant_view(EDIT, methods=FORM_METHODS)
def malomrade_create(request, forbund_slug, year):
    _check_year(year)
    forbund = request.forbund
    initial = {"number": selectors.next_malomrade_number(forbund=forbund, year=year)}
    form = MalomradeForm(request.POST or None, initial=initial)
    malomrade = request.method == "POST" and save_form(
        form, lambda data: services.malomrade_create(forbund=forbund, actor=request.user, year=year, **data)
    )
    if malomrade:
        messages.success(request, f"Målområde {malomrade.number} har lagts till.")
        return redirect(_year_url(forbund, year, f"malomrade-{malomrade.public_id}"))
    return form_page(request, form, title=f"Nytt målområde för {year}", back=_year_url(forbund, year))


def _malomrade(request, public_id, queryset=None) -> Malomrade:
    return get_tenant_object(request, queryset or Malomrade.objects.all(), public_id=public_id)


def _delmal(request, public_id):
    return get_tenant_object(request, selectors.delmal_for_edit(forbund=request.forbund), public_id=public_id)


@tenant_view(EDIT, methods=FORM_METHODS)
def malomrade_edit(request, forbund_slug, public_id):
    malomrade = _malomrade(request, public_id)
    title = f"Ändra målområde {malomrade.number} ({malomrade.year})"
    back = _year_url(request.forbund, malomrade.year, f"malomrade-{malomrade.public_id}")
    form = MalomradeForm(request.POST or None, instance=malomrade)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.malomrade_update(
            forbund=request.forbund, malomrade=malomrade, actor=request.user, **data
        ),
    ):
        messages.success(request, f"Målområde {malomrade.number} har sparats.")
        return redirect(back)
    return form_page(request, form, title=title, back=back)


@tenant_view(EDIT, methods=FORM_METHODS)
def malomrade_delete(request, forbund_slug, public_id):
    malomrade = _malomrade(request, public_id, Malomrade.objects.prefetch_related("delmal"))
    return confirm_delete(
        request,
        title=f"Ta bort målområde {malomrade.number}?",
        back=_year_url(request.forbund, malomrade.year, f"malomrade-{malomrade.public_id}"),
        delete=lambda: services.malomrade_delete(
            forbund=request.forbund, malomrade=malomrade, actor=request.user
        ),
        done=_year_url(request.forbund, malomrade.year),
        message=f"Målområde {malomrade.number} har tagits bort.",
        details=[str(malomrade), f"Målområdets {len(malomrade.delmal.all())} delmål tas också bort."],
    )


def _moved(request, moved: bool, label: str) -> None:
    """Tell the user when a row was already first or last."""
    if not moved:
        messages.info(request, f"{label} står redan {'först' if moves_up(request) else 'sist'}.")


@tenant_view(EDIT, methods=("POST",))
def malomrade_move(request, forbund_slug, public_id):
    malomrade = _malomrade(request, public_id)
    moved = services.malomrade_move(
        forbund=request.forbund, malomrade=malomrade, actor=request.user, up=moves_up(request)
    )
    _moved(request, moved, f"Målområde {malomrade.number}")
    return redirect(_year_url(request.forbund, malomrade.year, f"malomrade-{malomrade.public_id}"))


@tenant_view(EDIT, methods=FORM_METHODS)
def delmal_create(request, forbund_slug, public_id):
    """Add a delmål: in place with htmx (a new row, or the form with errors), else a page."""
    forbund = request.forbund
    malomrade = _malomrade(request, public_id)
    prefix = _add_prefix(malomrade)
    form = DelmalForm(request.POST or None, prefix=prefix, forbund=forbund)
    if request.method == "POST":
        delmal = save_form(
            form,
            lambda data: services.delmal_create(
                forbund=request.forbund, malomrade=malomrade, actor=request.user, **form.service_fields()
            ),
        )
        if delmal is not None:
            if request.htmx:
                delmal.actions = render_to_string("goals/_delmal_actions.html", {"delmal": delmal}, request)
                fresh = DelmalForm(prefix=prefix, forbund=forbund)
                return render(
                    request,
                    "goals/_delmal_created.html",
                    {"malomrade": malomrade, "delmal": delmal, "form": fresh, "open": True},
                )
            messages.success(request, f"Delmål {delmal.label} har lagts till.")
            return redirect(_year_url(forbund, malomrade.year, f"delmal-{delmal.public_id}"))
    if request.htmx and request.method == "GET":
        # The year page opens the add form in place: the form only, into the open details.
        return render(request, "goals/_delmal_form.html", {"malomrade": malomrade, "form": form})
    if request.htmx:
        response = render(
            request,
            "goals/_delmal_add.html",
            {"malomrade": malomrade, "form": form, "open": True},
        )
        return reswap(retarget(response, f"#delmal-add-{malomrade.public_id}"), "outerHTML")
    return _delmal_page(request, form, malomrade, title=f"Nytt delmål i målområde {malomrade.number}")


def _delmal_page(request, form, malomrade, *, title: str):
    intro = f"Målområde {malomrade.number}: {malomrade.title} ({malomrade.year})"
    back = _year_url(request.forbund, malomrade.year, f"malomrade-{malomrade.public_id}")
    return form_page(request, form, title=title, back=back, intro=intro)


@tenant_view(EDIT, methods=FORM_METHODS)
def delmal_edit(request, forbund_slug, public_id):
    forbund = request.forbund
    delmal = _delmal(request, public_id)
    form = DelmalForm(request.POST or None, instance=delmal, forbund=forbund)
    if request.method == "POST" and save_form(
        form,
        lambda _: services.delmal_update(
            forbund=request.forbund, delmal=delmal, actor=request.user, **form.service_fields()
        ),
    ):
        messages.success(request, f"Delmål {delmal.label} har sparats.")
        return redirect(_year_url(forbund, delmal.malomrade.year, f"delmal-{delmal.public_id}"))
    return _delmal_page(request, form, delmal.malomrade, title=f"Ändra delmål {delmal.label}")


@tenant_view(EDIT, methods=FORM_METHODS)
def delmal_delete(request, forbund_slug, public_id):
    delmal = _delmal(request, public_id)
    malomrade = delmal.malomrade
    return confirm_delete(
        request,
        title=f"Ta bort delmål {delmal.label}?",
        back=_year_url(request.forbund, malomrade.year, f"delmal-{delmal.public_id}"),
        delete=lambda: services.delmal_delete(forbund=request.forbund, delmal=delmal, actor=request.user),
        done=_year_url(request.forbund, malomrade.year, f"malomrade-{malomrade.public_id}"),
        message=f"Delmål {delmal.label} har tagits bort.",
        details=[delmal.text],
    )


@tenant_view(EDIT, methods=("POST",))
def delmal_move(request, forbund_slug, public_id):
    delmal = _delmal(request, public_id)
    moved = services.delmal_move(
        forbund=request.forbund, delmal=delmal, actor=request.user, up=moves_up(request)
    )
    _moved(request, moved, f"Delmål {delmal.label}")
    return redirect(_year_url(request.forbund, delmal.malomrade.year, f"delmal-{delmal.public_id}"))
