"""Tertial report pages: list, the report with its sections and comments, the draft's editing
(summary, delmål, insatsrapporter), sending, the board's decision, and the year view.

Who sees what: ``report_view`` opens the pages; a version that is not approved is 404 without
``report_draft_view`` (the revisor reads approved reports only). ``report_edit`` (förbundschef,
kansli) edits drafts, sends and answers; ``report_comment`` (styrelse) comments;
``reports_approve`` (styrelse) records the decision. Plattformspersonal reach only the
insatsrapporter of their own insatser.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.core.views import apply_service_errors, form_page, render_form, save_form, tenant_view
from apps.insatser.models import Insats
from apps.plans.markdown import render_markdown
from apps.tenancy.access import get_tenant_object

from . import content, rendering, selectors, services, yearview
from .forms import (
    AnswerForm,
    AssessmentForm,
    CommentForm,
    DecisionForm,
    InsatsReportForm,
    ReportCreateForm,
    SummaryForm,
)
from .models import GOAL_STATUS_SYMBOLS, ReportVersion, Section, TertialReport, VersionStatus


def _drafts(request) -> bool:
    return request.abilities.get("report_draft_view", False)


def _check_visible(request, version: ReportVersion) -> None:
    """A version that is not approved does not exist for readers without report_draft_view."""
    if not version.is_approved and not _drafts(request):
        raise Http404


def _get_version(request, version_id, *, ability: str | None = None) -> ReportVersion:
    version = get_tenant_object(
        request,
        selectors.version_queryset(forbund=request.forbund),
        public_id=version_id,
        ability="report_view",
    )
    _check_visible(request, version)
    if ability is not None and not request.abilities.get(ability, False):
        raise PermissionDenied
    return version


def _report_url(version: ReportVersion) -> str:
    return reverse("tertial:report_detail", args=[version.report.forbund.slug, version.report.public_id])


def _version_url(request, version: ReportVersion) -> str:
    return reverse("tertial:version_detail", args=[request.forbund.slug, version.public_id])


SECTION_NUMBERS = {key: n for n, key in enumerate(Section.values, 1)}


def _document_context(request, report: TertialReport, version: ReportVersion) -> dict:
    context = rendering.document_context(version=version)
    data = context["data"]
    return {
        **context,
        "missing": content.missing(data) if version.status == VersionStatus.UTKAST else None,
        "comments": selectors.comments_by_section(version=version),
        "sections": [(key, label, SECTION_NUMBERS[key]) for key, label in Section.choices],
        "versions": selectors.version_list(report=report, include_drafts=_drafts(request)),
        "history": selectors.history(report=report, include_drafts=_drafts(request)),
        "comment_form": CommentForm(),
        "answer_form": AnswerForm(),
        "interactive": True,
    }


@tenant_view("report_view", methods=("GET", "POST"), write_ability="report_edit")
def report_index(request, forbund_slug):
    form = ReportCreateForm(request.POST or None)
    if request.method == "POST":
        report = save_form(
            form,
            lambda data: services.report_create(
                forbund=request.forbund, actor=request.user, year=data["year"], tertial=data["tertial"]
            ),
        )
        if report is not None:
            messages.success(request, f"Tertialrapport {report.name} {report.year} är skapad som utkast.")
            return redirect("tertial:report_detail", forbund_slug, report.public_id)
    reports = selectors.report_list(forbund=request.forbund, include_drafts=_drafts(request))
    years = sorted({r.year for r in reports}, reverse=True)
    return render_form(request, "tertial/index.html", {"reports": reports, "form": form, "years": years})


@tenant_view("report_view")
def report_detail(request, forbund_slug, report_id):
    report = get_tenant_object(
        request, selectors.report_queryset(forbund=request.forbund), public_id=report_id
    )
    version = selectors.shown_version(report=report, include_drafts=_drafts(request))
    if version is None:
        raise Http404
    return render(request, "tertial/report.html", _document_context(request, report, version))


@tenant_view("report_view")
def version_detail(request, forbund_slug, version_id):
    version = _get_version(request, version_id)
    return render(request, "tertial/report.html", _document_context(request, version.report, version))


@tenant_view("report_view", methods=("GET", "POST"), write_ability="report_edit")
def summary_edit(request, forbund_slug, version_id):
    version = _get_version(request, version_id, ability="report_edit")
    form = SummaryForm(request.POST or None, initial={"summary_markdown": version.summary_markdown})
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.summary_update(
                version=version, actor=request.user, summary_markdown=data["summary_markdown"]
            ),
        )
        if saved is not None:
            messages.success(request, "Sammanfattningen är sparad.")
            return redirect(_version_url(request, version) + "#avsnitt-sammanfattning")
    preview = (
        version.summary_html if not form.is_bound else render_markdown(form.data.get("summary_markdown", ""))
    )
    return render_form(
        request,
        "tertial/summary_edit.html",
        {"version": version, "report": version.report, "form": form, "preview_html": preview},
    )


@tenant_view("report_edit", methods=("POST",))
def summary_preview(request, forbund_slug):
    # Sanitised exactly like the stored summary, so the preview shows what will be saved.
    html = render_markdown(request.POST.get("summary_markdown", ""))
    return render(request, "plans/_preview.html", {"preview_html": html})


def _assessment_rows(version: ReportVersion, data: dict, delmal: dict, post=None) -> list[dict]:
    rows = []
    for area in data["goals"]:
        for row in area["delmal"]:
            obj = delmal[row["label"]]
            form = AssessmentForm(
                post,
                prefix=f"d{obj.pk}",
                computed=row["computed"],
                proposed=row["proposed"],
                initial={
                    "status": row["status"] if row["status_source"] == "kansli" else "",
                    "value": None if row["computed"] else row["value"],
                    "comment": row["comment"],
                },
            )
            rows.append({"area": area, "row": row, "delmal": obj, "form": form})
    return rows


@tenant_view("report_view", methods=("GET", "POST"), write_ability="report_edit")
def assess(request, forbund_slug, version_id):
    version = _get_version(request, version_id, ability="report_edit")
    if version.status != VersionStatus.UTKAST:
        messages.error(request, services.FROZEN_MESSAGE)
        return redirect(_version_url(request, version))
    data = content.shown_content(version=version)
    delmal = {d.label: d for d in content.year_delmal(forbund=request.forbund, year=version.report.year)}
    rows = _assessment_rows(version, data, delmal, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        valid = all(r["form"].is_valid() for r in rows)
        if valid:
            items = [
                {
                    "delmal": r["delmal"],
                    "status": r["form"].cleaned_data["status"],
                    "value": r["form"].cleaned_data.get("value"),
                    "comment": r["form"].cleaned_data["comment"],
                }
                for r in rows
            ]
            try:
                services.assessments_save(version=version, actor=request.user, items=items)
            except ValidationError as error:
                apply_service_errors(next(r["form"] for r in rows), error)
            else:
                messages.success(request, "Bedömningarna av delmålen är sparade.")
                return redirect(_version_url(request, version) + "#avsnitt-mal")
    invalid = any(r["form"].errors for r in rows)
    return render(
        request,
        "tertial/assess.html",
        {"version": version, "report": version.report, "rows": rows, "symbols": GOAL_STATUS_SYMBOLS},
        status=400 if invalid else 200,
    )


@tenant_view(("report_edit", "participants_log"))
def staff_tasks(request, forbund_slug):
    tasks = selectors.staff_report_tasks(forbund=request.forbund, user=request.user)
    return render(request, "tertial/staff_tasks.html", {"tasks": tasks})


@tenant_view(("report_edit", "participants_log"), methods=("GET", "POST"))
def insats_report(request, forbund_slug, version_id, insats_id):
    version = get_tenant_object(
        request, selectors.version_queryset(forbund=request.forbund), public_id=version_id
    )
    insats = get_tenant_object(request, Insats.objects.filter(forbund=request.forbund), public_id=insats_id)
    if not services.may_write_insats_report(
        forbund=request.forbund, user=request.user, abilities=request.abilities, insats=insats
    ):
        raise PermissionDenied
    back = (
        _version_url(request, version) + "#avsnitt-insatser"
        if request.abilities.get("report_edit")
        else reverse("tertial:staff_tasks", args=[forbund_slug])
    )
    if version.status != VersionStatus.UTKAST:
        messages.error(request, services.FROZEN_MESSAGE)
        return redirect(back)
    existing = version.insats_reports.filter(insats=insats).first()
    form = InsatsReportForm(request.POST or None, initial={"text": existing.text if existing else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.insats_report_save(
                version=version, actor=request.user, insats=insats, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Insatsrapporten för {insats.name} är sparad.")
            return redirect(back)
    report = version.report
    return form_page(
        request,
        form,
        title=f"Insatsrapport: {insats.name}",
        back=back,
        intro=f"Tertialrapport {report.name} {report.year} ({report.months}), version {version.number}.",
    )


@tenant_view("report_view", methods=("GET", "POST"), write_ability="report_edit")
def send(request, forbund_slug, version_id):
    version = _get_version(request, version_id, ability="report_edit")
    error = ""
    if request.method == "POST":
        try:
            services.version_send(version=version, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, "Rapporten är skickad till styrelsen och låst. Ledamöterna har fått e-post."
            )
            return redirect(_version_url(request, version))
    lacking = (
        content.missing(content.shown_content(version=version))
        if version.status == VersionStatus.UTKAST
        else None
    )
    return render(
        request,
        "tertial/send.html",
        {"version": version, "report": version.report, "missing": lacking, "error": error},
        status=400 if error else 200,
    )


@tenant_view("report_comment", methods=("POST",))
def comment_create(request, forbund_slug, version_id):
    version = _get_version(request, version_id, ability="report_comment")
    form = CommentForm(request.POST)
    anchor = "#avsnitt-" + request.POST.get("section", "sammanfattning")
    if form.is_valid():
        try:
            services.comment_create(
                version=version,
                actor=request.user,
                section=form.cleaned_data["section"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Tack, din synpunkt är sparad. Kansliet besvarar den.")
    else:
        messages.error(request, "Skriv din synpunkt innan du skickar den.")
    return redirect(_version_url(request, version) + anchor)


@tenant_view("report_edit", methods=("POST",))
def comment_answer(request, forbund_slug, comment_id):
    comment = get_tenant_object(
        request, selectors.comment_queryset(forbund=request.forbund), public_id=comment_id
    )
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.comment_answer(comment=comment, actor=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Svaret är sparat.")
    else:
        messages.error(request, "Skriv ett svar innan du sparar.")
    return redirect(_version_url(request, comment.version) + f"#avsnitt-{comment.section}")


@tenant_view("report_view", methods=("GET", "POST"), write_ability="reports_approve")
def decision(request, forbund_slug, version_id):
    version = _get_version(request, version_id, ability="reports_approve")
    report = version.report
    meetings = selectors.meeting_choices(forbund=request.forbund, year=report.year)
    form = DecisionForm(request.POST or None, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decision_args = {
            "version": version,
            "actor": request.user,
            "decided_on": data["decided_on"],
            "decision_paragraph": data["decision_paragraph"],
            "meeting": data["meeting"],
        }
        try:
            if data["decision"] == DecisionForm.APPROVE:
                services.version_approve(**decision_args)
                messages.success(request, f"Tertialrapport {report.name} {report.year} är godkänd.")
                return redirect(_version_url(request, version))
            new = services.version_return(**decision_args, comment=data["return_comment"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, f"Rapporten är återremitterad. Version {new.number} är ett nytt utkast."
            )
            return redirect(_version_url(request, version))
    return render_form(request, "tertial/decision.html", {"version": version, "report": report, "form": form})


@tenant_view("report_view")
def year_view(request, forbund_slug, year):
    table = yearview.year_table(forbund=request.forbund, year=year)
    return render(request, "tertial/year.html", {"year": year, "table": table})
