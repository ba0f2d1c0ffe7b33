"""Pages about the förbund's members, board, other bodies and the board's year plan."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from apps.core.views import confirm_delete, form_page, moves_up, save_form, tenant_view
from apps.core.years import this_year
from apps.tenancy.access import get_tenant_object

from . import selectors, services
from .forms import MedlemForm, OrganForm, OrganMedlemForm, StyrelseledamotForm, StyrelsemoteForm, YearForm
from .models import Medlem, Organ, OrganMedlem, Styrelseledamot, Styrelsemote

VIEW = "members_view"
EDIT = "members_edit"
FORM_METHODS = ("GET", "POST")


def _deleted(request, *, label: str, back: str, delete, done: str | None = None, details=()):
    """The confirm-delete page of this app: "Ta bort X?", then "X är borttagen."."""
    return confirm_delete(
        request,
        title=f"Ta bort {label}?",
        back=back,
        delete=delete,
        done=done or back,
        message=f"{label} är borttagen.",
        details=details,
    )


# --- Medlemmar ------------------------------------------------------------------------


@tenant_view(VIEW)
def medlem_list(request, forbund_slug):
    medlemmar = list(selectors.medlem_list(forbund=request.forbund))
    return render(request, "members/medlem_list.html", {"medlemmar": medlemmar})


@tenant_view(EDIT, methods=FORM_METHODS)
def medlem_create(request, forbund_slug):
    form = MedlemForm(request.POST or None)
    back = reverse("members:medlem_list", args=[forbund_slug])
    if request.method == "POST" and save_form(
        form, lambda data: services.medlem_create(forbund=request.forbund, actor=request.user, **data)
    ):
        messages.success(request, f"{form.cleaned_data['name']} är tillagd.")
        return redirect(back)
    return form_page(request, form, title="Ny medlem", back=back)


def _medlem(request, public_id) -> Medlem:
    return get_tenant_object(request, Medlem.objects.all(), public_id=public_id)


@tenant_view(EDIT, methods=FORM_METHODS)
def medlem_edit(request, forbund_slug, public_id):
    medlem = _medlem(request, public_id)
    form = MedlemForm(request.POST or None, instance=medlem)
    back = reverse("members:medlem_list", args=[forbund_slug])
    if request.method == "POST" and save_form(
        form,
        lambda data: services.medlem_update(
            forbund=request.forbund, actor=request.user, medlem=medlem, **data
        ),
    ):
        messages.success(request, f"{medlem.name} är sparad.")
        return redirect(back)
    return form_page(request, form, title=f"Ändra {medlem.name}", back=back)


@tenant_view(EDIT, methods=FORM_METHODS)
def medlem_delete(request, forbund_slug, public_id):
    medlem = _medlem(request, public_id)
    back = reverse("members:medlem_list", args=[forbund_slug])
    return _deleted(
        request,
        label=medlem.name,
        back=back,
        delete=lambda: services.medlem_delete(forbund=request.forbund, actor=request.user, medlem=medlem),
        done=back,
    )


@tenant_view(EDIT, methods=("POST",))
def medlem_move(request, forbund_slug, public_id):
    medlem = _medlem(request, public_id)
    services.medlem_move(forbund=request.forbund, actor=request.user, medlem=medlem, up=moves_up(request))
    if request.htmx:
        medlemmar = list(selectors.medlem_list(forbund=request.forbund))
        return render(request, "members/_medlem_table.html", {"medlemmar": medlemmar, "moved": medlem.pk})
    return redirect("members:medlem_list", forbund_slug=forbund_slug)


# --- Styrelse -------------------------------------------------------------------------


@tenant_view(VIEW)
def styrelseledamot_list(request, forbund_slug):
    today = timezone.localdate()
    context = {
        "today": today,
        "board": selectors.current_board(forbund=request.forbund, on=today),
        "seats": list(selectors.styrelseledamot_list(forbund=request.forbund)),
    }
    return render(request, "members/styrelse.html", context)


def _seat_form(request, instance=None):
    medlemmar = selectors.medlem_list(forbund=request.forbund)
    return StyrelseledamotForm(request.POST or None, instance=instance, medlemmar=medlemmar)


@tenant_view(EDIT, methods=FORM_METHODS)
def styrelseledamot_create(request, forbund_slug):
    form = _seat_form(request)
    back = reverse("members:styrelseledamot_list", args=[forbund_slug])
    if request.method == "POST" and save_form(
        form,
        lambda data: services.styrelseledamot_create(forbund=request.forbund, actor=request.user, **data),
    ):
        messages.success(request, f"{form.cleaned_data['person_name']} är tillagd i styrelsen.")
        return redirect(back)
    return form_page(request, form, title="Ny styrelseledamot eller ersättare", back=back)


def _seat(request, public_id) -> Styrelseledamot:
    return get_tenant_object(request, Styrelseledamot.objects.select_related("medlem"), public_id=public_id)


@tenant_view(EDIT, methods=FORM_METHODS)
def styrelseledamot_edit(request, forbund_slug, public_id):
    seat = _seat(request, public_id)
    form = _seat_form(request, instance=seat)
    back = reverse("members:styrelseledamot_list", args=[forbund_slug])
    if request.method == "POST" and save_form(
        form,
        lambda data: services.styrelseledamot_update(
            forbund=request.forbund, actor=request.user, styrelseledamot=seat, **data
        ),
    ):
        messages.success(request, f"{seat.person_name} är sparad.")
        return redirect(back)
    return form_page(request, form, title=f"Ändra {seat.person_name}", back=back)


@tenant_view(EDIT, methods=FORM_METHODS)
def styrelseledamot_delete(request, forbund_slug, public_id):
    seat = _seat(request, public_id)
    back = reverse("members:styrelseledamot_list", args=[forbund_slug])
    return _deleted(
        request,
        label=f"{seat.person_name} ({seat.get_seat_display().lower()}, {seat.medlem.name})",
        back=back,
        delete=lambda: services.styrelseledamot_delete(
            forbund=request.forbund, actor=request.user, styrelseledamot=seat
        ),
        done=back,
    )


# --- Andra organ ----------------------------------------------------------------------


def _organ_member_form(request, organ, medlemmar, data=None):
    return OrganMedlemForm(data, medlemmar=medlemmar, prefix=f"om{organ.public_id.hex}")


@tenant_view(VIEW)
def organ_list(request, forbund_slug):
    medlemmar = list(selectors.medlem_list(forbund=request.forbund))
    organs = list(selectors.organ_list(forbund=request.forbund))
    if request.abilities["members_edit"]:
        for organ in organs:
            organ.add_form = _organ_member_form(request, organ, medlemmar)
    return render(request, "members/organ_list.html", {"organs": organs})


@tenant_view(EDIT, methods=FORM_METHODS)
def organ_create(request, forbund_slug):
    form = OrganForm(request.POST or None)
    back = reverse("members:organ_list", args=[forbund_slug])
    if request.method == "POST" and save_form(
        form, lambda data: services.organ_create(forbund=request.forbund, actor=request.user, **data)
    ):
        messages.success(request, f"{form.cleaned_data['name']} är tillagt.")
        return redirect(back)
    return form_page(request, form, title="Nytt organ", back=back)


def _organ(request, public_id) -> Organ:
    return get_tenant_object(request, Organ.objects.all(), public_id=public_id)


@tenant_view(EDIT, methods=FORM_METHODS)
def organ_edit(request, forbund_slug, public_id):
    organ = _organ(request, public_id)
    form = OrganForm(request.POST or None, instance=organ)
    back = reverse("members:organ_list", args=[forbund_slug])
    if request.method == "POST" and save_form(
        form,
        lambda data: services.organ_update(forbund=request.forbund, actor=request.user, organ=organ, **data),
    ):
        messages.success(request, f"{organ.name} är sparat.")
        return redirect(back)
    return form_page(request, form, title=f"Ändra {organ.name}", back=back)


@tenant_view(EDIT, methods=FORM_METHODS)
def organ_delete(request, forbund_slug, public_id):
    organ = _organ(request, public_id)
    back = reverse("members:organ_list", args=[forbund_slug])
    return _deleted(
        request,
        label=organ.name,
        back=back,
        delete=lambda: services.organ_delete(forbund=request.forbund, actor=request.user, organ=organ),
        done=back,
        details=["Organets ledamotslista tas också bort."],
    )


def _organ_members_partial(request, organ, form):
    """The body's member list with its add form, swapped in place by htmx (always 200)."""
    organ = selectors.organ_with_members(forbund=request.forbund, organ=organ)
    organ.add_form = form
    return render(request, "members/_organ_members.html", {"organ": organ})


@tenant_view(EDIT, methods=FORM_METHODS)
def organ_medlem_create(request, forbund_slug, public_id):
    organ = _organ(request, public_id)
    medlemmar = list(selectors.medlem_list(forbund=request.forbund))
    form = _organ_member_form(request, organ, medlemmar, request.POST if request.method == "POST" else None)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.organ_medlem_add(
            forbund=request.forbund, actor=request.user, organ=organ, **data
        ),
    ):
        if request.htmx:
            fresh = _organ_member_form(request, organ, medlemmar)
            return _organ_members_partial(request, organ, fresh)
        messages.success(request, f"{form.cleaned_data['person_name']} är tillagd i {organ.name}.")
        return redirect("members:organ_list", forbund_slug=forbund_slug)
    if request.htmx:
        return _organ_members_partial(request, organ, form)
    back = reverse("members:organ_list", args=[forbund_slug])
    return form_page(request, form, title=f"Lägg till i {organ.name}", back=back, submit="Lägg till")


@tenant_view(EDIT, methods=FORM_METHODS)
def organ_medlem_edit(request, forbund_slug, public_id):
    row = get_tenant_object(
        request,
        OrganMedlem.objects.select_related("organ", "medlem"),
        public_id=public_id,
    )
    medlemmar = list(selectors.medlem_list(forbund=request.forbund))
    initial = {"person_name": row.person_name, "medlem": row.medlem, "role": row.role}
    form = OrganMedlemForm(request.POST or None, initial=initial, medlemmar=medlemmar)
    back = reverse("members:organ_list", args=[forbund_slug])
    if request.method == "POST" and save_form(
        form,
        lambda data: services.organ_medlem_update(
            forbund=request.forbund, actor=request.user, organ_medlem=row, **data
        ),
    ):
        messages.success(request, f"{row.person_name} i {row.organ.name} är sparad.")
        return redirect(back)
    return form_page(request, form, title=f"Ändra {row.person_name} i {row.organ.name}", back=back)


@tenant_view(EDIT, methods=("POST",))
def organ_move(request, forbund_slug, public_id):
    organ = _organ(request, public_id)
    services.organ_move(forbund=request.forbund, actor=request.user, organ=organ, up=moves_up(request))
    return redirect(f"{reverse('members:organ_list', args=[forbund_slug])}#organ-{organ.public_id}-rubrik")


@tenant_view(EDIT, methods=FORM_METHODS)
def organ_medlem_delete(request, forbund_slug, public_id):
    row = get_tenant_object(request, OrganMedlem.objects.select_related("organ"), public_id=public_id)
    back = reverse("members:organ_list", args=[forbund_slug])
    return _deleted(
        request,
        label=f"{row.person_name} i {row.organ.name}",
        back=back,
        delete=lambda: services.organ_medlem_remove(
            forbund=request.forbund, actor=request.user, organ_medlem=row
        ),
        done=back,
    )


# --- Styrelsens årsplanering ----------------------------------------------------------


@tenant_view(VIEW)
def styrelsemote_list(request, forbund_slug):
    year_form = YearForm(request.GET or None)
    year = year_form.cleaned_data["ar"] if year_form.is_valid() else this_year()
    if not year_form.is_bound:
        year_form = YearForm(initial={"ar": year})
    context = {
        "year": year,
        "year_form": year_form,
        "years": selectors.styrelsemote_years(forbund=request.forbund),
        "motes": list(selectors.styrelsemote_list(forbund=request.forbund, year=year)),
    }
    return render(request, "members/arsplanering.html", context)


def _arsplanering_url(forbund_slug, year) -> str:
    return f"{reverse('members:styrelsemote_list', args=[forbund_slug])}?ar={year}"


@tenant_view(EDIT, methods=FORM_METHODS)
def styrelsemote_create(request, forbund_slug):
    year_form = YearForm(request.GET or None)
    year = year_form.cleaned_data["ar"] if year_form.is_valid() else this_year()
    form = StyrelsemoteForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and save_form(
        form, lambda data: services.styrelsemote_create(forbund=request.forbund, actor=request.user, **data)
    ):
        messages.success(request, "Styrelsemötet är tillagt.")
        return redirect(_arsplanering_url(forbund_slug, form.cleaned_data["year"]))
    return form_page(request, form, title="Nytt styrelsemöte", back=_arsplanering_url(forbund_slug, year))


def _mote(request, public_id) -> Styrelsemote:
    return get_tenant_object(request, Styrelsemote.objects.all(), public_id=public_id)


@tenant_view(EDIT, methods=FORM_METHODS)
def styrelsemote_edit(request, forbund_slug, public_id):
    mote = _mote(request, public_id)
    back = _arsplanering_url(forbund_slug, mote.year)
    form = StyrelsemoteForm(request.POST or None, instance=mote)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.styrelsemote_update(
            forbund=request.forbund, actor=request.user, styrelsemote=mote, **data
        ),
    ):
        messages.success(request, "Styrelsemötet är sparat.")
        return redirect(_arsplanering_url(forbund_slug, mote.year))
    return form_page(request, form, title="Ändra styrelsemöte", back=back)


@tenant_view(EDIT, methods=FORM_METHODS)
def styrelsemote_delete(request, forbund_slug, public_id):
    mote = _mote(request, public_id)
    back = _arsplanering_url(forbund_slug, mote.year)
    return _deleted(
        request,
        label=str(mote),
        back=back,
        delete=lambda: services.styrelsemote_delete(
            forbund=request.forbund, actor=request.user, styrelsemote=mote
        ),
        done=back,
    )
