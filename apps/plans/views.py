"""Plan pages: start year N+1, and the verksamhetsplan document with sections, remiss and versions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.core.links import row_url
from apps.core.views import (
    apply_service_errors,
    confirm_delete,
    form_status,
    moves_up,
    render_form,
    save_form,
    tenant_view,
)

from . import datasections, rendering, selectors, services, yearcopy
from .access import DRAFT_ABILITY, get_comment, get_section, get_version, require_visible
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

VIEW = "plan_view"
EDIT = "plan_edit"
FORM_METHODS = ("GET", "POST")
GET = ("GET",)
POST = ("POST",)


@tenant_view(VIEW, methods=FORM_METHODS, write_ability=EDIT)
def year_start(request, forbund_slug):
    forbund = request.forbund
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
            apply_service_errors(form, exc)
        else:
            messages.success(request, summary.message)
            return redirect("goals:malomrade_list", forbund.slug, summary.to_year)
    preview = selectors.year_preview(forbund=forbund, from_year=from_year) if from_year else None
    return render_form(
        request,
        "plans/year_start.html",
        {"form": form, "years": years, "preview": preview, "from_year": from_year},
    )


# --- The plan document ----------------------------------------------------------------------


def _version_url(request, version: PlanVersion) -> str:
    return reverse("plans:version_detail", args=[request.forbund.slug, version.public_id])


@tenant_view(VIEW, methods=GET)
def plan_list(request, forbund_slug):
    plans = selectors.plan_list(
        forbund=request.forbund, include_drafts=request.abilities.get(DRAFT_ABILITY, False)
    )
    return render(request, "plans/index.html", {"plans": plans, "form": PlanCreateForm()})


@tenant_view(EDIT, methods=POST)
def plan_create(request, forbund_slug):
    form = PlanCreateForm(request.POST)
    plan = save_form(
        form,
        lambda data: services.plan_create(forbund=request.forbund, actor=request.user, year=data["year"]),
    )
    if plan:
        version = plan.versions.get()
        messages.success(request, f"Verksamhetsplan {plan.year} är skapad som utkast.")
        return redirect("plans:version_detail", forbund_slug, version.public_id)
    plans = selectors.plan_list(forbund=request.forbund, include_drafts=True)
    return render_form(request, "plans/index.html", {"plans": plans, "form": form})


def _tool_urls(request, document: selectors.PlanDocument) -> None:
    """The links under each section: edit, leave a comment, answer each comment."""
    slug = request.forbund.slug
    edit = row_url("plans:section_edit", slug)
    comment = row_url("plans:comment_create", slug)
    answer = row_url("plans:comment_answer", slug)
    for item in document.all_sections:
        item.edit_url = edit(item.section.public_id)
        item.comment_url = comment(item.section.public_id)
        for row in item.comments:
            row.answer_url = answer(row.public_id)  # type: ignore[attr-defined]


@tenant_view(VIEW, methods=GET)
def version_detail(request, forbund_slug, version_id):
    version = get_version(request, version_id)
    document = selectors.version_document(version=version)
    parts = rendering.data_section_slots(document, interactive=True)
    _tool_urls(request, document)
    context = {
        "document": document,
        "version": version,
        "interactive": True,
        "comment_form": CommentForm(),
        "adopt_form": AdoptForm(),
        "previous": version.based_on or None,
    }
    return rendering.fill_slots(render(request, "plans/version.html", context), parts)


@tenant_view(VIEW, methods=FORM_METHODS)
def section_list(request, forbund_slug, version_id):
    version = get_version(request, version_id, ability=EDIT if request.method == "POST" else VIEW)
    form = SectionAddForm(request.POST or None, data_choices=datasections.choices())
    if request.method == "POST" and save_form(
        form,
        lambda data: services.section_create(
            forbund=request.forbund,
            version=version,
            actor=request.user,
            title=data["title"],
            data_key=data["content"] or "",
            is_appendix=data["is_appendix"],
        ),
    ):
        messages.success(request, f"Avsnittet ”{form.cleaned_data['title']}” är tillagt sist i planen.")
        return redirect("plans:section_list", forbund_slug, version.public_id)
    return _sections_page(request, version, form=form)


def _sections_page(request, version, *, form=None, period_form=None, signature_form=None):
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
        status=form_status(request, form, period_form, signature_form),
    )


@tenant_view(VIEW, methods=POST)
def period_edit(request, forbund_slug, version_id):
    version = get_version(request, version_id, ability=EDIT)
    form = PlanPeriodForm(request.POST)
    if save_form(
        form,
        lambda data: services.plan_set_period(
            forbund=request.forbund, plan=version.plan, actor=request.user, **data
        ),
    ):
        messages.success(request, f"Planperioden är sparad: {version.plan.title}.")
        return redirect("plans:section_list", forbund_slug, version.public_id)
    return _sections_page(request, version, period_form=form)


@tenant_view(VIEW, methods=POST)
def signatures_edit(request, forbund_slug, version_id):
    version = get_version(request, version_id, ability=EDIT)
    form = SignatureForm(request.POST)
    if save_form(
        form,
        lambda data: services.version_set_signatures(
            forbund=request.forbund, version=version, actor=request.user, **data
        ),
    ):
        messages.success(request, "Underskrifterna är sparade.")
        return redirect("plans:section_list", forbund_slug, version.public_id)
    return _sections_page(request, version, signature_form=form)


@tenant_view(VIEW, methods=FORM_METHODS)
def section_edit(request, forbund_slug, section_id):
    section = get_section(request, section_id, ability=EDIT)
    narrative = section.kind == SectionKind.NARRATIVE
    initial = {
        "title": section.title,
        "body_markdown": section.body_markdown,
        "is_appendix": section.is_appendix,
    }
    form = SectionForm(request.POST or None, initial=initial, narrative=narrative)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.section_update(
            forbund=request.forbund,
            section=section,
            actor=request.user,
            title=data["title"],
            body_markdown=data.get("body_markdown", ""),
            is_appendix=data["is_appendix"],
        ),
    ):
        messages.success(request, f"Avsnittet ”{section.title}” är sparat.")
        return redirect(_version_url(request, section.version) + f"#s-{section.public_id}")
    preview = section.body_html if narrative and not form.is_bound else ""
    return render_form(
        request,
        "plans/section_edit.html",
        {"section": section, "version": section.version, "form": form, "preview_html": preview},
    )


@tenant_view(EDIT, methods=POST)
def markdown_preview(request, forbund_slug):
    # Sanitised exactly like a stored section, so the preview shows what will be saved.
    html = render_markdown(request.POST.get("body_markdown", ""))
    return render(request, "plans/_preview.html", {"preview_html": html})


@tenant_view(VIEW, methods=POST)
def section_move(request, forbund_slug, section_id):
    section = get_section(request, section_id, ability=EDIT)
    try:
        if "riktning" in request.POST:
            services.section_move(
                forbund=request.forbund, section=section, actor=request.user, up=moves_up(request)
            )
        else:
            # "Flytta till plats N": one step, whatever the distance.
            count = PlanSection.objects.filter(forbund=request.forbund, version=section.version).count()
            form = SectionMoveForm(request.POST, count=count, prefix=f"s{section.public_id.hex}")
            if not form.is_valid():
                raise ValidationError(f"Välj en plats mellan 1 och {count}.")
            services.section_move_to(
                forbund=request.forbund,
                section=section,
                actor=request.user,
                position=form.cleaned_data["position"],
            )
            messages.success(
                request, f"”{section.title}” är flyttat till plats {form.cleaned_data['position']}."
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    url = reverse("plans:section_list", args=[forbund_slug, section.version.public_id])
    return redirect(f"{url}#rad-{section.public_id}")


@tenant_view(VIEW, methods=FORM_METHODS)
def section_delete(request, forbund_slug, section_id):
    section = get_section(request, section_id, ability=EDIT)
    back = reverse("plans:section_list", args=[forbund_slug, section.version.public_id])
    return confirm_delete(
        request,
        title=f"Ta bort avsnittet ”{section.title}”?",
        back=back,
        delete=lambda: services.section_delete(forbund=request.forbund, section=section, actor=request.user),
        done=back,
        message=f"Avsnittet ”{section.title}” är borttaget.",
        details=[
            f"Avsnittet och synpunkterna på det tas bort ur version {section.version.number}. "
            "Tidigare fastställda versioner påverkas inte."
        ],
    )


@tenant_view(VIEW, methods=POST)
def version_remiss(request, forbund_slug, version_id):
    version = get_version(request, version_id, ability=EDIT)
    try:
        services.version_send_to_remiss(forbund=request.forbund, version=version, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, "Planen är skickad på remiss. Medlemmarna kan nu lämna synpunkter per avsnitt."
        )
    return redirect("plans:version_detail", forbund_slug, version.public_id)


@tenant_view(VIEW, methods=FORM_METHODS)
def version_adopt(request, forbund_slug, version_id):
    version = get_version(request, version_id, ability=EDIT)
    form = AdoptForm(request.POST or None)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.version_adopt(
            forbund=request.forbund, version=version, actor=request.user, **data
        ),
    ):
        messages.success(request, f"Version {version.number} är fastställd och låst.")
        return redirect("plans:version_detail", forbund_slug, version.public_id)
    return render_form(request, "plans/adopt.html", {"version": version, "form": form})


@tenant_view(VIEW, methods=POST)
def version_revise(request, forbund_slug, version_id):
    version = get_version(request, version_id, ability=EDIT)
    try:
        new = services.version_revise(forbund=request.forbund, version=version, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:version_detail", forbund_slug, version.public_id)
    messages.success(request, f"Version {new.number} är skapad som utkast från version {version.number}.")
    return redirect("plans:version_detail", forbund_slug, new.public_id)


@tenant_view(VIEW, methods=GET)
def version_compare(request, forbund_slug, version_id):
    version = get_version(request, version_id)
    previous = selectors.previous_version(version=version)
    if previous is not None:
        require_visible(request, previous)
    changes = selectors.version_compare(version=version, previous=previous) if previous else []
    return render(
        request, "plans/compare.html", {"version": version, "previous": previous, "changes": changes}
    )


@tenant_view(VIEW, methods=POST)
def comment_create(request, forbund_slug, section_id):
    section = get_section(request, section_id, ability="plan_comment")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(
                forbund=request.forbund, section=section, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Tack, din synpunkt är sparad.")
    else:
        messages.error(request, "Skriv din synpunkt innan du skickar den.")
    return redirect(_version_url(request, section.version) + f"#s-{section.public_id}")


@tenant_view(VIEW, methods=POST)
def comment_answer(request, forbund_slug, comment_id):
    comment = get_comment(request, comment_id, ability=EDIT)
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        services.comment_answer(
            forbund=request.forbund,
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
