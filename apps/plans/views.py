"""Plan pages: start year N+1, and the verksamhetsplan document with sections, remiss and versions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from apps.tenancy.access import get_tenant_object, require_ability

from . import datasections, selectors, services, yearcopy
from .forms import (
    AdoptForm,
    AnswerForm,
    CommentForm,
    PlanCreateForm,
    PlanPeriodForm,
    SectionAddForm,
    SectionForm,
    SectionMoveForm,
    SignatureForm,
    YearStartForm,
)
from .markdown import render_markdown
from .models import PlanSection, PlanVersion, SectionKind


@require_ability("plan_view")
def year_start(request, forbund_slug):
    forbund = request.forbund
    if request.method == "POST" and not request.abilities["plan_edit"]:
        raise PermissionDenied
    years = selectors.data_years(forbund=forbund)
    if request.method == "POST":
        form = YearStartForm(request.POST, years=years)
    else:
        data = request.GET if "fran" in request.GET else None
        form = YearStartForm(data, years=years, initial={"fran": years[0] if years else None})
    from_year = None
    if form.is_bound and form.is_valid():
        from_year = form.cleaned_data["fran"]
    elif not form.is_bound and years:
        from_year = years[0]
    if request.method == "POST" and from_year is not None:
        try:
            summary = yearcopy.year_start_next(forbund=forbund, actor=request.user, from_year=from_year)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, summary.message)
            return redirect("malomrade_list", forbund.slug, summary.to_year)
    preview = selectors.year_preview(forbund=forbund, from_year=from_year) if from_year else None
    return render(
        request,
        "plans/year_start.html",
        {"form": form, "years": years, "preview": preview, "from_year": from_year},
        status=400 if request.method == "POST" else 200,
    )


# --- The plan document ----------------------------------------------------------------------


def _get_version(request, version_id, *, ability: str = "plan_view") -> PlanVersion:
    """The version, 404 for outsiders and for drafts a reader may not see (the revisor), else 403."""
    version = get_tenant_object(
        request,
        selectors.version_queryset(forbund=request.forbund),
        public_id=version_id,
        ability="plan_view",
    )
    if not version.is_frozen and not request.abilities.get("plan_draft_view", False):
        raise Http404
    if not request.abilities.get(ability, False):
        raise PermissionDenied
    return version


def _get_section(request, section_id, *, ability: str) -> PlanSection:
    section = get_tenant_object(
        request,
        selectors.section_queryset(forbund=request.forbund),
        public_id=section_id,
        ability="plan_view",
    )
    _get_version_visible(request, section.version)
    if not request.abilities.get(ability, False):
        raise PermissionDenied
    return section


def _get_version_visible(request, version: PlanVersion) -> None:
    if not version.is_frozen and not request.abilities.get("plan_draft_view", False):
        raise Http404


def _version_url(request, version: PlanVersion) -> str:
    return reverse("plan_version", args=[request.forbund.slug, version.public_id])


@require_ability("plan_view")
@require_http_methods(["GET"])
def plan_index(request, forbund_slug):
    plans = selectors.plan_list(
        forbund=request.forbund, include_drafts=request.abilities.get("plan_draft_view", False)
    )
    return render(request, "plans/index.html", {"plans": plans, "form": PlanCreateForm()})


@require_ability("plan_edit")
@require_http_methods(["POST"])
def plan_create(request, forbund_slug):
    form = PlanCreateForm(request.POST)
    if form.is_valid():
        try:
            plan = services.plan_create(
                forbund=request.forbund, actor=request.user, year=form.cleaned_data["year"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            version = plan.versions.get()
            messages.success(request, f"Verksamhetsplan {plan.year} är skapad som utkast.")
            return redirect("plan_version", forbund_slug, version.public_id)
    plans = selectors.plan_list(forbund=request.forbund, include_drafts=True)
    return render(request, "plans/index.html", {"plans": plans, "form": form}, status=400)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_ability("plan_view")
@require_http_methods(["GET"])
def version_detail(request, forbund_slug, version_id):
    version = _get_version(request, version_id)
    document = selectors.version_document(version=version)
    context = {
        "document": document,
        "version": version,
        "interactive": True,
        "comment_form": CommentForm(),
        "adopt_form": AdoptForm(),
        "previous": version.based_on or None,
    }
    return render(request, "plans/version.html", context)


@require_ability("plan_view")
@require_http_methods(["GET", "POST"])
def section_list(request, forbund_slug, version_id):
    version = _get_version(
        request, version_id, ability="plan_edit" if request.method == "POST" else "plan_view"
    )
    form = SectionAddForm(request.POST or None, data_choices=datasections.choices())
    if request.method == "POST" and form.is_valid():
        try:
            services.section_create(
                version=version,
                actor=request.user,
                title=form.cleaned_data["title"],
                data_key=form.cleaned_data["content"] or "",
                is_appendix=form.cleaned_data["is_appendix"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Avsnittet ”{form.cleaned_data['title']}” är tillagt sist i planen.")
            return redirect("plan_sections", forbund_slug, version.public_id)
    return _sections_page(request, version, form=form, status=400 if request.method == "POST" else 200)


def _sections_page(request, version, *, form=None, period_form=None, signature_form=None, status=200):
    """The "Ordna avsnitt" page: sections with move controls, plan period and signatures."""
    sections = list(selectors.version_sections(version=version))
    for section in sections:
        section.move_form = SectionMoveForm(
            count=len(sections),
            prefix=f"s{section.public_id.hex}",
            initial={"position": section.position + 1},
        )
    plan = version.plan
    return render(
        request,
        "plans/sections.html",
        {
            "version": version,
            "sections": sections,
            "form": form or SectionAddForm(data_choices=datasections.choices()),
            "period_form": period_form
            or PlanPeriodForm(initial={"period_start": plan.period_start, "period_end": plan.period_end}),
            "signature_form": signature_form
            or SignatureForm(
                initial={
                    "signature_mode": version.signature_mode,
                    "justerare_1": version.justerare_1,
                    "justerare_2": version.justerare_2,
                }
            ),
        },
        status=status,
    )


@require_ability("plan_view")
@require_http_methods(["POST"])
def plan_period(request, forbund_slug, version_id):
    version = _get_version(request, version_id, ability="plan_edit")
    form = PlanPeriodForm(request.POST)
    if form.is_valid():
        try:
            services.plan_set_period(plan=version.plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Planperioden är sparad: {version.plan.title}.")
            return redirect("plan_sections", forbund_slug, version.public_id)
    return _sections_page(request, version, period_form=form, status=400)


@require_ability("plan_view")
@require_http_methods(["POST"])
def version_signatures(request, forbund_slug, version_id):
    version = _get_version(request, version_id, ability="plan_edit")
    form = SignatureForm(request.POST)
    if form.is_valid():
        try:
            services.version_set_signatures(version=version, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Underskrifterna är sparade.")
            return redirect("plan_sections", forbund_slug, version.public_id)
    return _sections_page(request, version, signature_form=form, status=400)


@require_ability("plan_view")
@require_http_methods(["GET", "POST"])
def section_edit(request, forbund_slug, section_id):
    section = _get_section(request, section_id, ability="plan_edit")
    narrative = section.kind == SectionKind.NARRATIVE
    initial = {
        "title": section.title,
        "body_markdown": section.body_markdown,
        "is_appendix": section.is_appendix,
    }
    form = SectionForm(request.POST or None, initial=initial, narrative=narrative)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(
                section=section,
                actor=request.user,
                title=form.cleaned_data["title"],
                body_markdown=form.cleaned_data.get("body_markdown", ""),
                is_appendix=form.cleaned_data["is_appendix"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Avsnittet ”{section.title}” är sparat.")
            return redirect(_version_url(request, section.version) + f"#s-{section.public_id}")
    preview = section.body_html if narrative and not form.is_bound else ""
    return render(
        request,
        "plans/section_edit.html",
        {"section": section, "version": section.version, "form": form, "preview_html": preview},
        status=400 if request.method == "POST" else 200,
    )


@require_ability("plan_edit")
@require_http_methods(["POST"])
def markdown_preview(request, forbund_slug):
    # Sanitised exactly like a stored section, so the preview shows what will be saved.
    html = render_markdown(request.POST.get("body_markdown", ""))
    return render(request, "plans/_preview.html", {"preview_html": html})


@require_ability("plan_view")
@require_http_methods(["POST"])
def section_move(request, forbund_slug, section_id):
    section = _get_section(request, section_id, ability="plan_edit")
    try:
        if "riktning" in request.POST:
            services.section_move(section=section, actor=request.user, up=request.POST["riktning"] == "upp")
        else:
            # "Flytta till plats N": one step, whatever the distance.
            count = PlanSection.objects.filter(forbund=request.forbund, version=section.version).count()
            form = SectionMoveForm(request.POST, count=count, prefix=f"s{section.public_id.hex}")
            if not form.is_valid():
                raise ValidationError(f"Välj en plats mellan 1 och {count}.")
            services.section_move_to(
                section=section, actor=request.user, position=form.cleaned_data["position"]
            )
            messages.success(
                request, f"”{section.title}” är flyttat till plats {form.cleaned_data['position']}."
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    url = reverse("plan_sections", args=[forbund_slug, section.version.public_id])
    return redirect(f"{url}#rad-{section.public_id}")


@require_ability("plan_view")
@require_http_methods(["GET", "POST"])
def section_delete(request, forbund_slug, section_id):
    section = _get_section(request, section_id, ability="plan_edit")
    if request.method == "POST":
        try:
            services.section_delete(section=section, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Avsnittet ”{section.title}” är borttaget.")
        return redirect("plan_sections", forbund_slug, section.version.public_id)
    return render(
        request, "plans/section_confirm_delete.html", {"section": section, "version": section.version}
    )


@require_ability("plan_view")
@require_http_methods(["POST"])
def version_remiss(request, forbund_slug, version_id):
    version = _get_version(request, version_id, ability="plan_edit")
    try:
        services.version_send_to_remiss(version=version, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, "Planen är skickad på remiss. Medlemmarna kan nu lämna synpunkter per avsnitt."
        )
    return redirect("plan_version", forbund_slug, version.public_id)


@require_ability("plan_view")
@require_http_methods(["GET", "POST"])
def version_adopt(request, forbund_slug, version_id):
    version = _get_version(request, version_id, ability="plan_edit")
    form = AdoptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_adopt(version=version, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Version {version.number} är fastställd och låst.")
            return redirect("plan_version", forbund_slug, version.public_id)
    return render(
        request,
        "plans/adopt.html",
        {"version": version, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_ability("plan_view")
@require_http_methods(["POST"])
def version_revise(request, forbund_slug, version_id):
    version = _get_version(request, version_id, ability="plan_edit")
    try:
        new = services.version_revise(version=version, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plan_version", forbund_slug, version.public_id)
    messages.success(request, f"Version {new.number} är skapad som utkast från version {version.number}.")
    return redirect("plan_version", forbund_slug, new.public_id)


@require_ability("plan_view")
@require_http_methods(["GET"])
def version_compare(request, forbund_slug, version_id):
    version = _get_version(request, version_id)
    previous = selectors.previous_version(version=version)
    if previous is not None:
        _get_version_visible(request, previous)
    changes = selectors.version_compare(version=version, previous=previous) if previous else []
    return render(
        request, "plans/compare.html", {"version": version, "previous": previous, "changes": changes}
    )


@require_ability("plan_view")
@require_http_methods(["POST"])
def comment_create(request, forbund_slug, section_id):
    section = _get_section(request, section_id, ability="plan_comment")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(section=section, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Tack, din synpunkt är sparad.")
    else:
        messages.error(request, "Skriv din synpunkt innan du skickar den.")
    return redirect(_version_url(request, section.version) + f"#s-{section.public_id}")


@require_ability("plan_view")
@require_http_methods(["POST"])
def comment_answer(request, forbund_slug, comment_id):
    comment = get_tenant_object(
        request,
        selectors.comment_queryset(forbund=request.forbund),
        public_id=comment_id,
        ability="plan_view",
    )
    _get_version_visible(request, comment.section.version)
    if not request.abilities.get("plan_edit", False):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        services.comment_answer(
            comment=comment,
            actor=request.user,
            answer=form.cleaned_data.get("answer", ""),
            resolve=form.cleaned_data.get("resolve", False),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Svaret är sparat.")
    return redirect(_version_url(request, comment.section.version) + f"#s-{comment.section.public_id}")
