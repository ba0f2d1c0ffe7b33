"""Pages about insatser: list, detail, edit, status, year rows (in place with htmx), staff."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import localize, number_format

from apps.core.formatting import format_kronor
from apps.core.links import row_url
from apps.core.views import confirm_delete, form_page, moves_up, render_form, save_form, tenant_view
from apps.core.years import default_year, parse_year, this_year
from apps.tenancy.access import get_tenant_object

from . import selectors, services
from .forms import GrantRequirementForm, InsatsForm, InsatsYearForm, PlattformForm, StaffForm, TransitionForm
from .models import InsatsKind

VIEW = "plan_view"
EDIT = "plan_edit"
# Plattformspersonal read the insatser they are granted (participants_log) without plan_view.
READ = (VIEW, "participants_log")
FORM_METHODS = ("GET", "POST")
POST = ("POST",)


def _readable_insats(request, public_id):
    """Readers see every insats; plattformspersonal only their own (others 404)."""
    forbund = request.forbund
    if not request.abilities.get(VIEW):
        qs = selectors.insats_list_for_staff(forbund=forbund, user=request.user)
        return get_tenant_object(request, qs, public_id=public_id)
    return get_tenant_object(request, selectors.insats_detail_queryset(forbund=forbund), public_id=public_id)


def _editable_insats(request, public_id):
    return get_tenant_object(
        request, selectors.insats_detail_queryset(forbund=request.forbund), public_id=public_id
    )


def _editable_year(request, insats, year_id):
    qs = selectors.insats_year_queryset(forbund=request.forbund).filter(insats=insats)
    return get_tenant_object(request, qs, public_id=year_id)


def _detail_url(request, insats) -> str:
    return reverse("insatser:insats_detail", args=[request.forbund.slug, insats.public_id])


def _list_row(insats, year_row, *, url: str, move_url: str, medparter: str) -> dict:
    """One row of the insats list as the texts its cells print ("–" where a figure is missing).

    A dict of finished texts: at national scale the table has hundreds of rows, and each template
    lookup on a model (a failed item lookup before the attribute) and each filter per cell added up
    to most of the page's time. The numbers are formatted as the template's filters did.
    """
    plattform = insats.plattform
    row = {
        "kind": insats.kind,
        "url": url,
        "move_url": move_url,
        "name": insats.name,
        "status": insats.get_status_display(),
        "owner": insats.owner_name,
        "medparter": medparter or "–",
        "plattform": (plattform.name if plattform is not None else "") or "–",
        "budget": "–",
        "fte": "–",
        "volume": "–",
    }
    if year_row is not None:
        if year_row.budget_amount is not None:
            row["budget"] = f"{localize(year_row.budget_amount)} kr"
        if year_row.financed_fte is not None:
            # floatformat:2's text; the field has two decimals and at most three digits before them.
            row["fte"] = number_format(year_row.financed_fte, 2)
        if year_row.budgeted_volume is not None:
            row["volume"] = localize(year_row.budgeted_volume)
    return row


def _list_year(request, years: list[int]) -> int:
    value = request.GET.get("ar") or request.POST.get("ar")
    return parse_year(value, default=default_year(this_year(), years))


def _list_context(request) -> dict:
    """What the insats list (and its htmx table partial) shows, in a fixed number of queries."""
    abilities = request.abilities
    years = selectors.insats_year_choices(forbund=request.forbund)
    year = _list_year(request, years)
    year_options = sorted({*years, this_year(), year})
    staff = None if abilities.get(VIEW) else request.user
    insatser = list(selectors.insats_table(forbund=request.forbund, year=year, user=staff))
    detail_url = row_url("insatser:insats_detail", request.forbund.slug)
    move_url = row_url("insatser:insats_move", request.forbund.slug) if abilities.get(EDIT) else None
    rows = []
    for insats in insatser:
        # year_rows_for_list is the selector's Prefetch(to_attr=...): at most the one row of the year.
        year_rows = insats.year_rows_for_list  # type: ignore[attr-defined]
        names = [m.name for m in insats.medpart_list] + insats.ovriga_medparter_list  # type: ignore[attr-defined]
        rows.append(
            _list_row(
                insats,
                year_rows[0] if year_rows else None,
                url=detail_url(insats.public_id),
                move_url=move_url(insats.public_id) if move_url else "",
                medparter=", ".join(names),
            )
        )
    groups = [
        (heading, [row for row in rows if row["kind"] == kind], kind)
        for kind, heading in (
            (InsatsKind.INDIVID, "Individinriktade"),
            (InsatsKind.STRUKTUR, "Strukturinriktade"),
        )
    ]
    return {
        "groups": groups,
        "year": year,
        "year_text": str(year),
        "insatser": insatser,
        "year_options": year_options,
        "data_years": years,
    }


@tenant_view(READ)
def insats_list(request, forbund_slug):
    return render(request, "insatser/insats_list.html", _list_context(request))


@tenant_view(EDIT, methods=POST)
def insats_move(request, forbund_slug, public_id):
    insats = _editable_insats(request, public_id)
    services.insats_move(forbund=request.forbund, actor=request.user, insats=insats, up=moves_up(request))
    if request.htmx:
        return render(request, "insatser/_insats_tables.html", _list_context(request))
    url = reverse("insatser:insats_list", args=[forbund_slug])
    year = request.POST.get("ar", "")
    return redirect(f"{url}?ar={year}" if year.isdigit() else url)


@tenant_view(EDIT, methods=FORM_METHODS)
def insats_create(request, forbund_slug):
    form = InsatsForm(request.POST or None, forbund=request.forbund)
    insats = request.method == "POST" and save_form(
        form, lambda data: services.insats_create(forbund=request.forbund, actor=request.user, **data)
    )
    if insats:
        messages.success(request, f"Insatsen {insats.name} är skapad.")
        return redirect(_detail_url(request, insats))
    return form_page(
        request, form, title="Ny insats", back=reverse("insatser:insats_list", args=[forbund_slug])
    )


@tenant_view(READ)
def insats_detail(request, forbund_slug, public_id):
    insats = _readable_insats(request, public_id)
    forbund = request.forbund
    can_edit = request.abilities.get(EDIT, False)
    context = {
        "insats": insats,
        "years": selectors.insats_years(forbund=forbund, insats=insats),
        "medparter": selectors.insats_medparter(forbund=forbund, insats=insats),
        "can_edit": can_edit,
        "allowed": services.insats_allowed_transitions(insats=insats),
    }
    if request.abilities.get(VIEW):
        context["staff"] = selectors.insats_staff(forbund=forbund, insats=insats)
        context["history"] = selectors.insats_status_history(forbund=forbund, insats=insats)
    if can_edit:
        context["year_form"] = InsatsYearForm(prefix="ny")
        context["staff_form"] = StaffForm(forbund=forbund)
    return render(request, "insatser/insats_detail.html", context)


@tenant_view(EDIT, methods=FORM_METHODS)
def insats_edit(request, forbund_slug, public_id):
    insats = _editable_insats(request, public_id)
    form = InsatsForm(request.POST or None, instance=insats, forbund=request.forbund)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.insats_update(
            forbund=request.forbund, actor=request.user, insats=insats, **data
        ),
    ):
        messages.success(request, "Ändringarna är sparade.")
        return redirect(_detail_url(request, insats))
    return form_page(request, form, title=f"Ändra {insats.name}", back=_detail_url(request, insats))


@tenant_view(EDIT, methods=FORM_METHODS)
def insats_delete(request, forbund_slug, public_id):
    insats = _editable_insats(request, public_id)
    return confirm_delete(
        request,
        title=f"Ta bort {insats.name}?",
        back=_detail_url(request, insats),
        delete=lambda: services.insats_delete(forbund=request.forbund, actor=request.user, insats=insats),
        done=reverse("insatser:insats_list", args=[forbund_slug]),
        message=f"Insatsen {insats.name} är borttagen.",
        details=[
            "Insatsen tas bort med alla sina årsrader, medparter och behörigheter för plattformspersonal."
        ],
        button="Ja, ta bort insatsen",
    )


@tenant_view(EDIT, methods=FORM_METHODS)
def insats_transition(request, forbund_slug, public_id):
    insats = _editable_insats(request, public_id)
    allowed = services.insats_allowed_transitions(insats=insats)
    numbers_paragraphs = selectors.insats_settings(forbund=request.forbund).numbers_paragraphs
    form = TransitionForm(request.POST or None, allowed=allowed, numbers_paragraphs=numbers_paragraphs)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.insats_transition(
            forbund=request.forbund, actor=request.user, insats=insats, **data
        ),
    ):
        messages.success(request, f"Insatsen har nu status {insats.get_status_display().lower()}.")
        return redirect(_detail_url(request, insats))
    return render_form(
        request, "insatser/insats_transition.html", {"form": form, "insats": insats, "allowed": allowed}
    )


def _year_form_response(request, *, insats, form, row=None):
    """The form with errors: an in-place table row for htmx, else a whole page."""
    context = {"insats": insats, "form": form, "row": row, "can_edit": True}
    if request.htmx:
        return render_form(request, "insatser/_year_form_row.html", context)
    return render_form(request, "insatser/year_form_page.html", context)


@tenant_view(EDIT, methods=FORM_METHODS)
def insats_year_create(request, forbund_slug, public_id):
    insats = _editable_insats(request, public_id)
    form = InsatsYearForm(request.POST or None, prefix="ny")
    if request.method == "POST":
        row = save_form(
            form,
            lambda data: services.insats_year_create(
                forbund=request.forbund, actor=request.user, insats=insats, **data
            ),
        )
        if row is not None:
            if request.htmx:
                context = {
                    "insats": insats,
                    "row": row,
                    "can_edit": True,
                    "form": InsatsYearForm(prefix="ny"),
                }
                return render(request, "insatser/_year_added.html", context)
            messages.success(request, f"År {row.year} är tillagt.")
            return redirect(_detail_url(request, insats))
    return _year_form_response(request, insats=insats, form=form)


@tenant_view(VIEW)
def insats_year_detail(request, forbund_slug, public_id, year_id):
    insats = _readable_insats(request, public_id)
    qs = selectors.insats_year_queryset(forbund=request.forbund).filter(insats=insats)
    row = get_tenant_object(request, qs, public_id=year_id)
    if not request.htmx:
        return redirect(_detail_url(request, insats))
    context = {"insats": insats, "row": row, "can_edit": request.abilities.get(EDIT, False)}
    return render(request, "insatser/_year_row.html", context)


@tenant_view(EDIT, methods=FORM_METHODS)
def insats_year_edit(request, forbund_slug, public_id, year_id):
    insats = _editable_insats(request, public_id)
    row = _editable_year(request, insats, year_id)
    form = InsatsYearForm(request.POST or None, instance=row, prefix=f"ar-{row.public_id}")
    saved = request.method == "POST" and save_form(
        form,
        lambda data: services.insats_year_update(
            forbund=request.forbund, actor=request.user, insats_year=row, **data
        ),
    )
    if saved:
        if request.htmx:
            return render(
                request, "insatser/_year_row.html", {"insats": insats, "row": saved, "can_edit": True}
            )
        messages.success(request, f"År {saved.year} är sparat.")
        return redirect(_detail_url(request, insats))
    return _year_form_response(request, insats=insats, form=form, row=row)


@tenant_view(EDIT, methods=FORM_METHODS)
def insats_year_delete(request, forbund_slug, public_id, year_id):
    insats = _editable_insats(request, public_id)
    row = _editable_year(request, insats, year_id)

    def delete():
        services.insats_year_delete(forbund=request.forbund, actor=request.user, insats_year=row)

    if not request.htmx:
        budget = "" if row.budget_amount is None else f"Budget {format_kronor(row.budget_amount)}."
        return confirm_delete(
            request,
            title=f"Ta bort år {row.year} för {insats.name}?",
            back=_detail_url(request, insats),
            delete=delete,
            done=_detail_url(request, insats),
            message=f"År {row.year} är borttaget.",
            details=[budget] if budget else [],
            button=f"Ja, ta bort år {row.year}",
        )
    # In place: the row asks to confirm, and deleting swaps it for nothing.
    if request.method == "POST":
        delete()
        return HttpResponse("")
    return render(request, "insatser/_year_delete_row.html", {"insats": insats, "row": row, "can_edit": True})


@tenant_view(EDIT, methods=POST)
def insats_staff_create(request, forbund_slug, public_id):
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
    return redirect(_detail_url(request, insats))


@tenant_view(EDIT, methods=POST)
def insats_staff_delete(request, forbund_slug, public_id):
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
    return redirect(_detail_url(request, insats))


def _editable_plattform(request, public_id):
    return get_tenant_object(request, selectors.plattform_list(forbund=request.forbund), public_id=public_id)


@tenant_view(VIEW)
def plattform_list(request, forbund_slug):
    plattformar = list(selectors.plattform_list_with_insatser(forbund=request.forbund))
    return render(request, "insatser/plattform_list.html", {"plattformar": plattformar})


@tenant_view(EDIT, methods=FORM_METHODS)
def plattform_create(request, forbund_slug):
    form = PlattformForm(request.POST or None)
    back = reverse("insatser:plattform_list", args=[forbund_slug])
    plattform = request.method == "POST" and save_form(
        form, lambda data: services.plattform_create(forbund=request.forbund, actor=request.user, **data)
    )
    if plattform:
        messages.success(request, f"Plattformen {plattform.name} är skapad.")
        return redirect(back)
    return form_page(request, form, title="Ny plattform", back=back)


@tenant_view(EDIT, methods=FORM_METHODS)
def plattform_edit(request, forbund_slug, public_id):
    plattform = _editable_plattform(request, public_id)
    title = f"Ändra {plattform.name}"
    form = PlattformForm(request.POST or None, instance=plattform)
    back = reverse("insatser:plattform_list", args=[forbund_slug])
    if request.method == "POST" and save_form(
        form,
        lambda data: services.plattform_update(
            forbund=request.forbund, actor=request.user, plattform=plattform, **data
        ),
    ):
        messages.success(request, "Ändringarna är sparade.")
        return redirect(back)
    return form_page(request, form, title=title, back=back)


@tenant_view(EDIT, methods=FORM_METHODS)
def plattform_delete(request, forbund_slug, public_id):
    plattform = _editable_plattform(request, public_id)
    count = selectors.plattform_insats_count(forbund=request.forbund, plattform=plattform)
    if count:
        grouped = "1 insats är grupperad" if count == 1 else f"{count} insatser är grupperade"
        detail = (
            f"{grouped} under plattformen. Vill du ta bort plattformen ändå? "
            "Insatserna finns kvar men förlorar sin gruppering."
        )
    else:
        detail = "Inga insatser är grupperade under plattformen."
    back = reverse("insatser:plattform_list", args=[forbund_slug])
    return confirm_delete(
        request,
        title=f"Ta bort {plattform.name}?",
        back=back,
        delete=lambda: services.plattform_delete(
            forbund=request.forbund, actor=request.user, plattform=plattform
        ),
        done=back,
        message=f"Plattformen {plattform.name} är borttagen.",
        details=[detail],
        button="Ja, ta bort plattformen",
    )


@tenant_view(VIEW, methods=FORM_METHODS, write_ability=EDIT)
def settings_edit(request, forbund_slug):
    forbund = request.forbund
    # An unchecked box posts nothing, so bind on the method, not on a non-empty POST.
    data = request.POST if request.method == "POST" else None
    numbers_paragraphs = selectors.insats_settings(forbund=forbund).numbers_paragraphs
    form = GrantRequirementForm(
        data,
        initial={"required": forbund.require_plan_before_grant, "numbers_paragraphs": numbers_paragraphs},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            services.forbund_set_grant_requirement(
                forbund=forbund, actor=request.user, required=form.cleaned_data["required"]
            )
            services.insats_settings_set(
                forbund=forbund,
                actor=request.user,
                numbers_paragraphs=form.cleaned_data["numbers_paragraphs"],
            )
        messages.success(request, "Inställningen är sparad.")
        return redirect("insatser:settings_edit", forbund_slug)
    can_edit = request.abilities.get(EDIT, False)
    return render(
        request,
        "insatser/settings.html",
        {
            "form": form,
            "can_edit": can_edit,
            "required": forbund.require_plan_before_grant,
            "numbers_paragraphs": numbers_paragraphs,
        },
    )
