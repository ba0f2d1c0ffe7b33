"""Pages about insatser: list, detail, edit, status, year rows (in place with htmx), staff."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.tenancy.access import get_tenant_object, require_ability
from apps.tenancy.years import default_year

from . import selectors, services
from .forms import (
    GrantRequirementForm,
    InsatsForm,
    InsatsYearForm,
    PlattformForm,
    StaffForm,
    TransitionForm,
    add_service_errors,
)
from .models import InsatsKind


def _this_year() -> int:
    return timezone.localdate().year


def _readable_insats(request, public_id):
    """Readers see every insats; plattformspersonal only their own (others 404)."""
    forbund = request.forbund
    if request.forbund is None:
        raise Http404
    if not request.abilities.get("plan_view") and request.abilities.get("participants_log"):
        qs = selectors.insats_list_for_staff(forbund=forbund, user=request.user)
        return get_tenant_object(request, qs, public_id=public_id)
    return get_tenant_object(
        request, selectors.insats_detail_queryset(forbund=forbund), public_id=public_id, ability="plan_view"
    )


def _editable_insats(request, public_id):
    return get_tenant_object(
        request,
        selectors.insats_detail_queryset(forbund=request.forbund),
        public_id=public_id,
        ability="plan_edit",
    )


def _editable_year(request, insats, year_id):
    qs = selectors.insats_year_queryset(forbund=request.forbund).filter(insats=insats)
    return get_tenant_object(request, qs, public_id=year_id, ability="plan_edit")


def _list_year(request, years: list[int]) -> int:
    try:
        year = int(request.GET.get("ar") or request.POST["ar"])
    except (KeyError, ValueError):
        year = default_year(_this_year(), years)
    if not 1900 <= year <= 2200:
        year = _this_year()
    return year


def _list_context(request) -> dict:
    """What the insats list (and its htmx table partial) shows, in a fixed number of queries."""
    abilities = request.abilities
    years = selectors.insats_year_choices(forbund=request.forbund)
    year = _list_year(request, years)
    year_options = sorted({*years, _this_year(), year})
    if abilities.get("plan_view"):
        insatser = list(selectors.insats_list(forbund=request.forbund, year=year))
    elif abilities.get("participants_log"):
        insatser = list(
            selectors.insats_staff_list_for_year(forbund=request.forbund, user=request.user, year=year)
        )
    else:
        raise PermissionDenied
    for insats in insatser:
        insats.year_row = insats.year_rows_for_list[0] if insats.year_rows_for_list else None
    groups = [
        (heading, [i for i in insatser if i.kind == kind], kind)
        for kind, heading in (
            (InsatsKind.INDIVID, "Individinriktade"),
            (InsatsKind.STRUKTUR, "Strukturinriktade"),
        )
    ]
    return {"groups": groups, "year": year, "insatser": insatser, "year_options": year_options}


def insats_list(request, forbund_slug):
    return render(request, "insatser/insats_list.html", _list_context(request))


@require_POST
def insats_move(request, forbund_slug, public_id):
    insats = _editable_insats(request, public_id)
    services.insats_move(
        forbund=request.forbund, actor=request.user, insats=insats, up=request.POST.get("riktning") == "upp"
    )
    if request.htmx:
        return render(request, "insatser/_insats_tables.html", _list_context(request))
    url = reverse("insats_list", args=[forbund_slug])
    year = request.POST.get("ar", "")
    return redirect(f"{url}?ar={year}" if year.isdigit() else url)


@require_ability("plan_edit")
def insats_create(request, forbund_slug):
    form = InsatsForm(request.POST or None, forbund=request.forbund)
    if request.method == "POST" and form.is_valid():
        try:
            insats = services.insats_create(forbund=request.forbund, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Insatsen {insats.name} är skapad.")
            return redirect("insats_detail", forbund_slug, insats.public_id)
    return render(request, "insatser/insats_form.html", {"form": form, "insats": None})


def insats_detail(request, forbund_slug, public_id):
    insats = _readable_insats(request, public_id)
    forbund = request.forbund
    can_edit = request.abilities.get("plan_edit", False)
    context = {
        "insats": insats,
        "years": selectors.insats_years(forbund=forbund, insats=insats),
        "medparter": selectors.insats_medparter(forbund=forbund, insats=insats),
        "can_edit": can_edit,
        "allowed": services.insats_allowed_transitions(insats=insats),
    }
    if request.abilities.get("plan_view"):
        context["staff"] = selectors.insats_staff(forbund=forbund, insats=insats)
        context["history"] = selectors.insats_status_history(forbund=forbund, insats=insats)
    if can_edit:
        context["year_form"] = InsatsYearForm(prefix="ny")
        context["staff_form"] = StaffForm(forbund=forbund)
    return render(request, "insatser/insats_detail.html", context)


def insats_edit(request, forbund_slug, public_id):
    insats = _editable_insats(request, public_id)
    form = InsatsForm(request.POST or None, instance=insats, forbund=request.forbund)
    if request.method == "POST" and form.is_valid():
        try:
            services.insats_update(
                forbund=request.forbund, actor=request.user, insats=insats, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Ändringarna är sparade.")
            return redirect("insats_detail", forbund_slug, insats.public_id)
    return render(request, "insatser/insats_form.html", {"form": form, "insats": insats})


def insats_delete(request, forbund_slug, public_id):
    insats = _editable_insats(request, public_id)
    if request.method == "POST":
        name = insats.name
        try:
            services.insats_delete(forbund=request.forbund, actor=request.user, insats=insats)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("insats_detail", forbund_slug, insats.public_id)
        messages.success(request, f"Insatsen {name} är borttagen.")
        return redirect("insats_list", forbund_slug)
    return render(request, "insatser/insats_confirm_delete.html", {"insats": insats})


def insats_transition(request, forbund_slug, public_id):
    insats = _editable_insats(request, public_id)
    allowed = services.insats_allowed_transitions(insats=insats)
    form = TransitionForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            services.insats_transition(
                forbund=request.forbund, actor=request.user, insats=insats, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Insatsen har nu status {insats.get_status_display().lower()}.")
            return redirect("insats_detail", forbund_slug, insats.public_id)
    return render(
        request, "insatser/insats_transition.html", {"form": form, "insats": insats, "allowed": allowed}
    )


def _year_form_response(request, *, insats, form, row=None, status=200):
    """The form with errors: an in-place table row for htmx, else a whole page."""
    context = {"insats": insats, "form": form, "row": row, "can_edit": True}
    if request.htmx:
        return render(request, "insatser/_year_form_row.html", context, status=status)
    return render(request, "insatser/year_form_page.html", context, status=status)


def insats_year_add(request, forbund_slug, public_id):
    insats = _editable_insats(request, public_id)
    form = InsatsYearForm(request.POST or None, prefix="ny")
    if request.method == "POST" and form.is_valid():
        try:
            row = services.insats_year_create(
                forbund=request.forbund, actor=request.user, insats=insats, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                context = {
                    "insats": insats,
                    "row": row,
                    "can_edit": True,
                    "form": InsatsYearForm(prefix="ny"),
                }
                return render(request, "insatser/_year_added.html", context)
            messages.success(request, f"År {row.year} är tillagt.")
            return redirect("insats_detail", forbund_slug, insats.public_id)
    return _year_form_response(request, insats=insats, form=form)


def insats_year_row(request, forbund_slug, public_id, year_id):
    insats = _readable_insats(request, public_id)
    if not request.abilities.get("plan_view"):
        raise PermissionDenied
    qs = selectors.insats_year_queryset(forbund=request.forbund).filter(insats=insats)
    row = get_tenant_object(request, qs, public_id=year_id)
    if not request.htmx:
        return redirect("insats_detail", forbund_slug, insats.public_id)
    context = {"insats": insats, "row": row, "can_edit": request.abilities.get("plan_edit", False)}
    return render(request, "insatser/_year_row.html", context)


def insats_year_edit(request, forbund_slug, public_id, year_id):
    insats = _editable_insats(request, public_id)
    row = _editable_year(request, insats, year_id)
    form = InsatsYearForm(request.POST or None, instance=row, prefix=f"ar-{row.public_id}")
    if request.method == "POST" and form.is_valid():
        try:
            row = services.insats_year_update(
                forbund=request.forbund, actor=request.user, row=row, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return render(
                    request, "insatser/_year_row.html", {"insats": insats, "row": row, "can_edit": True}
                )
            messages.success(request, f"År {row.year} är sparat.")
            return redirect("insats_detail", forbund_slug, insats.public_id)
    return _year_form_response(request, insats=insats, form=form, row=row)


def insats_year_delete(request, forbund_slug, public_id, year_id):
    insats = _editable_insats(request, public_id)
    row = _editable_year(request, insats, year_id)
    if request.method == "POST":
        year = row.year
        services.insats_year_delete(forbund=request.forbund, actor=request.user, row=row)
        if request.htmx:
            return HttpResponse("")
        messages.success(request, f"År {year} är borttaget.")
        return redirect("insats_detail", forbund_slug, insats.public_id)
    context = {"insats": insats, "row": row, "can_edit": True}
    if request.htmx:
        return render(request, "insatser/_year_delete_row.html", context)
    return render(request, "insatser/year_confirm_delete.html", context)


@require_POST
def insats_staff_add(request, forbund_slug, public_id):
    insats = _editable_insats(request, public_id)
    form = StaffForm(request.POST, forbund=request.forbund)
    if form.is_valid():
        user = form.cleaned_data["user"]
        try:
            services.insats_assign_staff(
                forbund=request.forbund, actor=request.user, insats=insats, user=user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"{user.get_full_name() or user.username} har fått tillgång till insatsen."
            )
    else:
        messages.error(request, "Välj en person med rollen plattformspersonal.")
    return redirect("insats_detail", forbund_slug, insats.public_id)


@require_POST
def insats_staff_remove(request, forbund_slug, public_id):
    insats = _editable_insats(request, public_id)
    user_id = request.POST.get("user", "")
    if not user_id.isdigit():
        raise Http404
    user = selectors.insats_staff(forbund=request.forbund, insats=insats).filter(pk=int(user_id)).first()
    if user is None:
        raise Http404
    services.insats_unassign_staff(forbund=request.forbund, actor=request.user, insats=insats, user=user)
    messages.success(
        request, f"{user.get_full_name() or user.username} har inte längre tillgång till insatsen."
    )
    return redirect("insats_detail", forbund_slug, insats.public_id)


def _editable_plattform(request, public_id):
    return get_tenant_object(
        request, selectors.plattform_list(forbund=request.forbund), public_id=public_id, ability="plan_edit"
    )


@require_ability("plan_view")
def plattform_list(request, forbund_slug):
    plattformar = list(selectors.plattform_list_with_insatser(forbund=request.forbund))
    return render(request, "insatser/plattform_list.html", {"plattformar": plattformar})


@require_ability("plan_edit")
def plattform_create(request, forbund_slug):
    form = PlattformForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plattform = services.plattform_create(
                forbund=request.forbund, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Plattformen {plattform.name} är skapad.")
            return redirect("plattform_list", forbund_slug)
    return render(request, "insatser/plattform_form.html", {"form": form, "plattform": None})


def plattform_edit(request, forbund_slug, public_id):
    plattform = _editable_plattform(request, public_id)
    form = PlattformForm(request.POST or None, instance=plattform)
    if request.method == "POST" and form.is_valid():
        try:
            services.plattform_update(
                forbund=request.forbund, actor=request.user, plattform=plattform, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Ändringarna är sparade.")
            return redirect("plattform_list", forbund_slug)
    return render(request, "insatser/plattform_form.html", {"form": form, "plattform": plattform})


def plattform_delete(request, forbund_slug, public_id):
    plattform = _editable_plattform(request, public_id)
    if request.method == "POST":
        name = plattform.name
        services.plattform_delete(forbund=request.forbund, actor=request.user, plattform=plattform)
        messages.success(request, f"Plattformen {name} är borttagen.")
        return redirect("plattform_list", forbund_slug)
    count = selectors.plattform_insats_count(forbund=request.forbund, plattform=plattform)
    return render(
        request, "insatser/plattform_confirm_delete.html", {"plattform": plattform, "insats_count": count}
    )


@require_ability("plan_view")
def insats_settings(request, forbund_slug):
    forbund = request.forbund
    can_edit = request.abilities.get("plan_edit", False)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    # An unchecked box posts nothing, so bind on the method, not on a non-empty POST.
    data = request.POST if request.method == "POST" else None
    form = GrantRequirementForm(data, initial={"required": forbund.require_plan_before_grant})
    if request.method == "POST" and form.is_valid():
        services.forbund_set_grant_requirement(
            forbund=forbund, actor=request.user, required=form.cleaned_data["required"]
        )
        messages.success(request, "Inställningen är sparad.")
        return redirect("insats_settings", forbund_slug)
    return render(
        request,
        "insatser/settings.html",
        {"form": form, "can_edit": can_edit, "required": forbund.require_plan_before_grant},
    )
