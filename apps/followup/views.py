"""Follow-up pages: participants for the insats' staff, statistics for every reader, settings
and the national export for the förbund's editors.

A participant is reached only through ``_staff_insats`` (the user's granted insatser): any
other insats, and any participant outside it, is a 404, whatever the role.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from apps.core.links import row_url
from apps.core.views import (
    apply_service_errors,
    confirm_delete,
    form_page,
    render_form,
    save_form,
    tenant_view,
)
from apps.core.years import in_bounds, parse_year, this_year
from apps.insatser.models import Insats, InsatsYear
from apps.members.selectors import medlem_list
from apps.tenancy import datacache
from apps.tenancy.access import get_tenant_object

from . import export, selectors, services
from .forms import (
    PEOPLE_MEASURES,
    AvslutForm,
    CategoryForm,
    CodeLookupForm,
    CountsForm,
    DeltagareForm,
    InsatsFollowupForm,
    RetentionForm,
    StepForm,
    StepsHeaderForm,
    SurveyForm,
    questions_text,
)
from .models import CategoryList, Deltagare, Kon, Step, StepScale, Survey
from .statistics import PERIOD_LABELS


def _today() -> datetime.date:
    return timezone.localdate()


def _staff_insats(request, insats_id):
    """One of the user's granted insatser, else 404 (for every role)."""
    qs = selectors.staff_insatser(forbund=request.forbund, user=request.user)
    return get_tenant_object(request, qs, public_id=insats_id)


def _staff_deltagare(request, insats, public_id) -> Deltagare:
    qs = Deltagare.objects.filter(forbund=request.forbund, insats=insats)
    return get_tenant_object(request, qs, public_id=public_id)


# --- Participants (plattformspersonal) ------------------------------------------------------------


@tenant_view("participants_log")
def staff_home(request, forbund_slug):
    insatser = list(selectors.staff_insatser(forbund=request.forbund, user=request.user))
    return render(request, "followup/staff_home.html", {"insatser": insatser})


def _grid_rows(request, insats, on):
    return list(selectors.deltagare_active(forbund=request.forbund, insats=insats, on=on))


@tenant_view("participants_log", methods=("GET", "POST"))
def insats_participants(request, forbund_slug, insats_id):
    insats = _staff_insats(request, insats_id)
    today = _today()
    rows = _grid_rows(request, insats, today)
    steps = selectors.insats_steps(forbund=request.forbund, insats=insats)
    header = StepsHeaderForm(request.POST or None, initial={"date": today}, prefix="steg")
    chosen: dict[str, str] = {}
    errors: list[str] = []
    if request.method == "POST":
        by_number = {str(s.number): s for s in steps}
        chosen = {str(row.public_id): request.POST.get(f"steg-{row.public_id}", "") for row in rows}
        wanted = {}
        for row in rows:
            value = chosen[str(row.public_id)]
            if value and value not in by_number:
                errors.append(f"{row.code}: välj ett steg ur listan.")
            wanted[row] = by_number.get(value)
        if header.is_valid() and not errors:
            try:
                saved = services.bedomningar_record_many(
                    forbund=request.forbund,
                    actor=request.user,
                    insats=insats,
                    date=header.cleaned_data["date"],
                    rater=header.cleaned_data["rater"],
                    steps=wanted,
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, f"Steg sparade för {saved} deltagare.")
                return redirect("followup:insats_participants", forbund_slug, insats.public_id)
    edit_url = row_url("followup:deltagare_edit", forbund_slug, insats.public_id)
    end_url = row_url("followup:deltagare_end", forbund_slug, insats.public_id)
    for row in rows:
        row.chosen = chosen.get(str(row.public_id), "")
        row.edit_url, row.end_url = edit_url(row.public_id), end_url(row.public_id)
    ended = list(selectors.deltagare_ended(forbund=request.forbund, insats=insats, on=today)[:50])
    for row in ended:
        row.end_url = end_url(row.public_id)
    for step in steps:
        step.value = str(step.number)  # compared with the posted choice (a string)
    context = {
        "insats": insats,
        "rows": rows,
        "steps": steps,
        "header": header,
        "errors": errors,
        "ended": ended,
        "lookup": CodeLookupForm(),
        "year": today.year,
    }
    status = 400 if (errors or header.errors) else 200
    return render(request, "followup/insats_participants.html", context, status=status)


def _deltagare_form(request, data=None, initial=None):
    forbund = request.forbund
    return DeltagareForm(
        data,
        initial=initial,
        forbund=forbund,
        medlemmar=medlem_list(forbund=forbund),
        forsorjning=selectors.categories(forbund=forbund, kind=CategoryList.FORSORJNING),
    )


@tenant_view("participants_log", methods=("GET", "POST"))
def deltagare_add(request, forbund_slug, insats_id):
    insats = _staff_insats(request, insats_id)
    form = _deltagare_form(request, request.POST or None, initial={"start_date": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            row = services.deltagare_create(
                forbund=request.forbund, actor=request.user, insats=insats, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Deltagaren {row.code} är tillagd.")
            return redirect("followup:insats_participants", forbund_slug, insats.public_id)
    return render_form(
        request, "followup/deltagare_form.html", {"form": form, "insats": insats, "title": "Ny deltagare"}
    )


@tenant_view("participants_log", methods=("GET", "POST"))
def deltagare_edit(request, forbund_slug, insats_id, public_id):
    insats = _staff_insats(request, insats_id)
    row = _staff_deltagare(request, insats, public_id)
    initial = {
        "code": row.code,
        "kon": row.kon,
        "birth_year": row.birth_year,
        "start_date": row.start_date,
        "remittent": row.remittent,
        "remittent_medlem": row.remittent_medlem_id,
        "forsorjning_start": row.forsorjning_start_id,
    }
    form = _deltagare_form(request, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.deltagare_update(
                forbund=request.forbund, actor=request.user, deltagare=row, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Deltagaren {row.code} är ändrad.")
            return redirect("followup:insats_participants", forbund_slug, insats.public_id)
    context = {"form": form, "insats": insats, "deltagare": row, "title": f"Ändra deltagare {row.code}"}
    return render_form(request, "followup/deltagare_form.html", context)


@tenant_view("participants_log", methods=("GET", "POST"))
def deltagare_end(request, forbund_slug, insats_id, public_id):
    insats = _staff_insats(request, insats_id)
    row = _staff_deltagare(request, insats, public_id)
    forbund = request.forbund
    form = AvslutForm(
        request.POST or None,
        initial={"end_date": row.end_date or _today(), "avslutsorsak": row.avslutsorsak_id},
        avslut=selectors.categories(forbund=forbund, kind=CategoryList.AVSLUT),
        sysselsattning=selectors.categories(forbund=forbund, kind=CategoryList.SYSSELSATTNING),
        forsorjning=selectors.categories(forbund=forbund, kind=CategoryList.FORSORJNING),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.deltagare_end(forbund=forbund, actor=request.user, deltagare=row, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Deltagaren {row.code} är avslutad.")
            return redirect("followup:insats_participants", forbund_slug, insats.public_id)
    context = {"form": form, "insats": insats, "deltagare": row, "title": f"Avsluta {row.code}"}
    return render_form(request, "followup/deltagare_form.html", context)


@tenant_view("participants_log")
def deltagare_print(request, forbund_slug, insats_id):
    """One participant's record by code, to print when the person asks what is held about them."""
    insats = _staff_insats(request, insats_id)
    form = CodeLookupForm(request.GET or None)
    record = None
    if form.is_valid():
        row = Deltagare.objects.filter(
            forbund=request.forbund, insats=insats, code=form.cleaned_data["kod"].strip()
        ).first()
        if row is None:
            form.add_error("kod", "Ingen deltagare i insatsen har den koden.")
        else:
            record = selectors.deltagare_record(forbund=request.forbund, deltagare=row)
    context = {"insats": insats, "form": form, "record": record, "printed": _today()}
    return render(request, "followup/deltagare_print.html", context, status=400 if form.errors else 200)


# --- Statistics (every reader) -------------------------------------------------------------------------


def _year_and_period(request) -> tuple[int, str]:
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        year = _today().year
    if not 2000 <= year <= 2100:
        year = _today().year
    period = request.GET.get("period", "hittills")
    return year, period if period in PERIOD_LABELS else "hittills"


def statistics_context(*, forbund, year: int, period: str, insatser, reveal: bool, focus, version) -> dict:
    """The statistics page's context with its figures rendered (``figures_html``): the view's, and
    the warmer's (``apps.followup.warm``) for a first visit. ``version`` is the förbund's data
    version read before the figures."""
    page = selectors.statistics_page(
        forbund=forbund,
        year=year,
        period=period,
        insatser=insatser,
        reveal=reveal,
        focus=focus,
        version=version,
    )
    page.pop("tables", None)  # the raw counts stay out of the template: it shows the protected ones
    context = {
        **page,
        "year": year,
        "period": period,
        "periods": list(PERIOD_LABELS.items()),
        "insatser": insatser,
        "focus": focus,
        "years": list(range(_today().year - 4, _today().year + 2)),
    }
    # The tables, chart and surveys rendered once per data version and what the reader sees (the
    # insatser, whether small numbers are shown, the detail insats, the day): most of the page's
    # time at national scale is the template, not the figures.
    parts = (
        year,
        period,
        tuple(i.pk for i in insatser),
        reveal,
        focus.pk if focus else None,
        _today().isoformat(),
    )
    context["figures_html"] = mark_safe(  # noqa: S308 (our own template's output, escaped there)
        datacache.remember(
            forbund,
            "statistics-html",
            parts,
            lambda: render_to_string("followup/_statistics_figures.html", context),
            version=version,
        )
    )
    return context


@tenant_view("followup_view")
def statistics(request, forbund_slug):
    forbund = request.forbund
    year, period = _year_and_period(request)
    if request.abilities.get("plan_view"):
        insatser = selectors.statistics_insatser(forbund=forbund, year=year)
        reveal = False
    elif request.abilities.get("participants_log"):
        # Staff read their own insatser unsuppressed: they hold the rows behind the figures.
        insatser = selectors.statistics_insatser(forbund=forbund, year=year, user=request.user)
        reveal = True
    else:
        raise PermissionDenied
    focus = None
    focus_id = request.GET.get("insats", "")
    if focus_id:
        focus = next((i for i in insatser if str(i.public_id) == focus_id), None)
        if focus is None:
            raise Http404
    # The version is read before the figures, so the HTML kept under it is never older than it.
    context = statistics_context(
        forbund=forbund,
        year=year,
        period=period,
        insatser=insatser,
        reveal=reveal,
        focus=focus,
        version=datacache.data_version(forbund),
    )
    return render(request, "followup/statistics.html", context)


@tenant_view("followup_edit")
def national_export(request, forbund_slug):
    year, _ = _year_and_period(request)
    fmt = request.GET.get("format", "csv")
    rows = export.national_rows(forbund=request.forbund, year=year)
    if fmt == "xlsx":
        content = export.to_xlsx(rows)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(export.to_csv(rows), content_type="text/csv; charset=utf-8")
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="uppfoljning-finsam-{forbund_slug}-{year}.{fmt}"'
    return response


# --- Settings (förbundschef, kansli) -----------------------------------------------------------------


@tenant_view("followup_edit", methods=("GET", "POST"))
def settings_page(request, forbund_slug):
    forbund = request.forbund
    services.followup_defaults_ensure(forbund=forbund, actor=request.user)
    category_form = CategoryForm(request.POST if "add_category" in request.POST else None, prefix="kat")
    retention_form = RetentionForm(
        request.POST if "retention" in request.POST else None,
        initial={"retention_months": selectors.settings_for(forbund=forbund).retention_months},
        prefix="gallring",
    )
    if request.method == "POST":
        try:
            if "add_category" in request.POST and category_form.is_valid():
                services.category_create(forbund=forbund, actor=request.user, **category_form.cleaned_data)
                messages.success(request, "Kategorin är tillagd.")
                return redirect("followup:settings", forbund_slug)
            if "retention" in request.POST and retention_form.is_valid():
                services.followup_settings_update(
                    forbund=forbund, actor=request.user, **retention_form.cleaned_data
                )
                messages.success(request, "Gallringstiden är sparad.")
                return redirect("followup:settings", forbund_slug)
            if "toggle" in request.POST:
                category = get_tenant_object(
                    request,
                    selectors.categories(
                        forbund=forbund, kind=request.POST.get("kind", ""), include_inactive=True
                    ),
                    public_id=request.POST["toggle"],
                )
                services.category_update(
                    forbund=forbund, actor=request.user, category=category, is_active=not category.is_active
                )
                return redirect("followup:settings", forbund_slug)
        except ValidationError as exc:
            apply_service_errors(category_form, exc)
    lists = [
        (label, list(selectors.categories(forbund=forbund, kind=kind, include_inactive=True)))
        for kind, label in CategoryList.choices
    ]
    context = {
        "lists": lists,
        "category_form": category_form,
        "retention_form": retention_form,
        "scales": selectors.scales_with_steps(forbund=forbund),
        "step_form": StepForm(prefix="steg"),
    }
    return render_form(
        request,
        "followup/settings.html",
        context,
        form=category_form if category_form.is_bound else retention_form,
    )


@tenant_view("followup_edit", methods=("POST",))
def step_add(request, forbund_slug, scale_id):
    from .models import StepScale

    scale = get_tenant_object(request, StepScale.objects.filter(forbund=request.forbund), public_id=scale_id)
    form = StepForm(request.POST, prefix="steg")
    if form.is_valid():
        services.step_add(forbund=request.forbund, actor=request.user, scale=scale, **form.cleaned_data)
        messages.success(request, "Steget är tillagt sist på skalan.")
    else:
        messages.error(request, "Skriv en benämning för steget.")
    return redirect(reverse("followup:settings", args=[forbund_slug]) + "#skalor")


@tenant_view("followup_edit", methods=("POST",))
def step_delete(request, forbund_slug, step_id):
    step = get_tenant_object(request, Step.objects.filter(forbund=request.forbund), public_id=step_id)
    try:
        services.step_delete(forbund=request.forbund, actor=request.user, step=step)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Steget är borttaget.")
    return redirect(reverse("followup:settings", args=[forbund_slug]) + "#skalor")


# --- How insatser are followed up, counts and surveys ----------------------------------------------


def _year(request) -> int:
    return parse_year(request.GET.get("ar"), default=this_year())


def _insats_year(request, insats_id, year: int) -> InsatsYear:
    if not in_bounds(year):
        raise Http404
    insats = get_tenant_object(request, Insats.objects.filter(forbund=request.forbund), public_id=insats_id)
    row = InsatsYear.objects.filter(forbund=request.forbund, insats=insats, year=year).first()
    if row is None:
        raise Http404
    return row


@tenant_view("followup_edit")
def insatser_page(request, forbund_slug):
    """Every insats with a year row: how it is followed up, its scale, and its counts and surveys."""
    year = _year(request)
    context = {
        "year": year,
        "rows": selectors.insats_followup_rows(forbund=request.forbund, year=year),
        "data_years": selectors.followup_years(forbund=request.forbund),
    }
    return render(request, "followup/insatser.html", context)


@tenant_view("followup_edit", methods=("GET", "POST"))
def insats_year_edit(request, forbund_slug, insats_id, year):
    row = _insats_year(request, insats_id, year)
    forbund = request.forbund
    current = selectors.insats_scale(forbund=forbund, insats=row.insats)
    form = InsatsFollowupForm(
        request.POST or None,
        initial={
            "mode": selectors.insats_year_mode(forbund=forbund, insats_year=row),
            "step_scale": current.pk if current else None,
        },
        scales=StepScale.objects.filter(forbund=forbund).order_by("name"),
    )
    back = reverse("followup:insatser", args=[forbund_slug]) + f"?ar={year}"
    saved = request.method == "POST" and save_form(
        form,
        lambda data: (
            services.insats_followup_set(
                forbund=forbund,
                actor=request.user,
                insats_year=row,
                mode=data["mode"],
                scale=data["step_scale"],
            )
            or True
        ),
    )
    if saved:
        messages.success(request, f"Uppföljningen av {row.insats.name} {year} är sparad.")
        return redirect(back)
    return form_page(
        request, form, title=f"Uppföljning av {row.insats.name} {year}", back=back, intro=row.insats.name
    )


def _counts_insats(request, insats_id) -> Insats:
    """Editors reach every insats; plattformspersonal only the insatser they are granted (else 404)."""
    if request.abilities.get("followup_edit"):
        qs = Insats.objects.filter(forbund=request.forbund)
    else:
        qs = selectors.staff_insatser(forbund=request.forbund, user=request.user)
    return get_tenant_object(request, qs, public_id=insats_id)


COUNT_VIEWS = {"personer": "Nya, aktiva och avslutade", "tillfallen": "Deltagare vid tillfällen"}


@tenant_view(("followup_edit", "participants_log"), methods=("GET", "POST"))
def counts_page(request, forbund_slug, insats_id, year):
    """A year's monthly counts of one insats: people by gender, or attendees by gender."""
    if not in_bounds(year):
        raise Http404
    insats = _counts_insats(request, insats_id)
    forbund = request.forbund
    view = request.GET.get("visa") or ("tillfallen" if insats.kind == "struktur" else "personer")
    if view not in COUNT_VIEWS:
        view = "personer"
    kon = request.GET.get("kon", Kon.KVINNA)
    if kon not in Kon.values:
        kon = Kon.KVINNA
    existing = selectors.monthly_counts(forbund=forbund, insats=insats, year=year)
    if view == "personer":
        columns = list(PEOPLE_MEASURES)
        suffix = Kon(kon).label.lower()
        initial = {
            f"m{month}-{field}": getattr(existing[(month, kon)], field)
            for month in range(1, 13)
            for field, _ in columns
            if (month, kon) in existing
        }
    else:
        columns = [(k.value, k.label) for k in Kon]
        suffix = "deltagare vid tillfällen"
        initial = {
            f"m{month}-{k}": existing[(month, k)].attendees
            for month in range(1, 13)
            for k, _ in columns
            if (month, k) in existing
        }
    form = CountsForm(request.POST or None, initial=initial, columns=columns, suffix=suffix)
    here = reverse("followup:counts", args=[forbund_slug, insats.public_id, year]) + f"?visa={view}"
    if view == "personer":
        here += f"&kon={kon}"

    def write(_data):
        values = form.values()
        counts = {}
        for month in range(1, 13):
            for gender in [kon] if view == "personer" else Kon.values:
                row = existing.get((month, gender))
                kept = {field: getattr(row, field) if row else 0 for field in services.COUNT_FIELDS}
                if view == "personer":
                    kept.update({field: values[(month, field)] for field, _ in columns})
                else:
                    kept["attendees"] = values[(month, gender)]
                counts[(month, gender)] = kept
        services.monthly_counts_save(
            forbund=forbund, actor=request.user, insats=insats, year=year, counts=counts
        )
        return True

    if request.method == "POST" and save_form(form, write):
        messages.success(request, f"Antalen för {insats.name} {year} är sparade.")
        return redirect(here)
    context = {
        "insats": insats,
        "year": year,
        "form": form,
        "view": view,
        "views": COUNT_VIEWS.items(),
        "kon": kon,
        "kons": Kon.choices,
        "totals": _count_totals(existing, view, kon),
        "editor": request.abilities.get("followup_edit", False),
    }
    return render_form(request, "followup/counts.html", context)


def _count_totals(existing, view: str, kon: str) -> list[int]:
    """The year's sums of the saved counts per column (new and ended sum; active is per month)."""
    if view == "personer":
        rows = [row for (_month, gender), row in existing.items() if gender == kon]
        return [
            sum(row.new for row in rows),
            max((row.active for row in rows), default=0),
            sum(row.ended for row in rows),
        ]
    return [sum(row.attendees for (_m, gender), row in existing.items() if gender == k) for k in Kon.values]


@tenant_view("followup_edit")
def surveys_page(request, forbund_slug):
    """The year's surveys with response rate and share positive per question."""
    year = _year(request)
    surveys = selectors.survey_summaries(selectors.survey_list(forbund=request.forbund, year=year))
    context = {
        "year": year,
        "surveys": surveys,
        "data_years": selectors.survey_years(forbund=request.forbund),
    }
    return render(request, "followup/surveys.html", context)


def _survey_form(request, data=None, initial=None) -> SurveyForm:
    return SurveyForm(
        data, initial=initial, insatser=Insats.objects.filter(forbund=request.forbund).order_by("name")
    )


def _survey_write(request, survey=None):
    def write(data):
        data = dict(data)
        questions = data.pop("questions")
        return services.survey_save(
            forbund=request.forbund, actor=request.user, survey=survey, questions=questions, **data
        )

    return write


def _surveys_url(forbund_slug, year) -> str:
    return reverse("followup:surveys", args=[forbund_slug]) + f"?ar={year}"


@tenant_view("followup_edit", methods=("GET", "POST"))
def survey_create(request, forbund_slug):
    year = _year(request)
    form = _survey_form(request, request.POST or None, initial={"year": year, "period": "ar"})
    survey = request.method == "POST" and save_form(form, _survey_write(request))
    if survey:
        messages.success(request, f"Enkäten {survey} {survey.year} är sparad.")
        return redirect(_surveys_url(forbund_slug, survey.year))
    return form_page(request, form, title="Ny enkät", back=_surveys_url(forbund_slug, year))


def _survey(request, survey_id) -> Survey:
    return get_tenant_object(request, selectors.survey_queryset(forbund=request.forbund), public_id=survey_id)


@tenant_view("followup_edit", methods=("GET", "POST"))
def survey_edit(request, forbund_slug, survey_id):
    survey = _survey(request, survey_id)
    initial = {
        "insats": survey.insats.public_id if survey.insats else None,
        "year": survey.year,
        "period": survey.period,
        "kind": survey.kind,
        "name": survey.name,
        "respondent_group": survey.respondent_group,
        "asked": survey.asked,
        "answered": survey.answered,
        "questions": questions_text(survey),
    }
    form = _survey_form(request, request.POST or None, initial=initial)
    saved = request.method == "POST" and save_form(form, _survey_write(request, survey))
    if saved:
        messages.success(request, f"Enkäten {saved} {saved.year} är sparad.")
        return redirect(_surveys_url(forbund_slug, saved.year))
    return form_page(
        request, form, title=f"Ändra enkät: {survey}", back=_surveys_url(forbund_slug, survey.year)
    )


@tenant_view("followup_edit", methods=("GET", "POST"))
def survey_delete(request, forbund_slug, survey_id):
    survey = _survey(request, survey_id)
    back = _surveys_url(forbund_slug, survey.year)
    return confirm_delete(
        request,
        title=f"Ta bort enkäten {survey} {survey.year}?",
        back=back,
        delete=lambda: services.survey_delete(forbund=request.forbund, actor=request.user, survey=survey),
        done=back,
        message=f"Enkäten {survey} är borttagen.",
        details=[f"Svarsgrupp: {survey.respondent_group}", "Frågorna och svaren tas bort med enkäten."],
    )
