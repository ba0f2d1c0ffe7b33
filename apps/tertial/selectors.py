"""Reads of tertial reports for the pages: lists, the visible version, comments, history, meetings."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet

from apps.insatser.selectors import insats_list_for_staff
from apps.members.models import Styrelsemote
from apps.plans.models import PlanVersion
from apps.plans.models import VersionStatus as PlanStatus
from apps.tenancy.models import Forbund

from .models import (
    CommentStatus,
    InsatsReport,
    ReportComment,
    ReportEvent,
    ReportVersion,
    Section,
    TertialReport,
    VersionStatus,
)

# Fields of a version that lists and the history never show: the frozen report and the summary.
HEAVY_VERSION_FIELDS = ("frozen_data", "summary_markdown", "summary_html")


def report_queryset(*, forbund: Forbund) -> QuerySet[TertialReport]:
    """Reports a view may look up by public id."""
    return TertialReport.objects.filter(forbund=forbund)


def version_queryset(*, forbund: Forbund) -> QuerySet[ReportVersion]:
    """Versions with their report, for looking one up by public id."""
    return ReportVersion.objects.filter(forbund=forbund).select_related("report")


def comment_queryset(*, forbund: Forbund) -> QuerySet[ReportComment]:
    """Comments with their version and report, for looking one up by public id."""
    return ReportComment.objects.filter(forbund=forbund).select_related("version__report")


def report_list(*, forbund: Forbund, include_drafts: bool) -> list[TertialReport]:
    """The förbund's reports, newest period first, each with ``shown`` (the version a reader sees).

    Without ``include_drafts`` (the revisor) only approved versions count and reports without one
    are left out. Two queries.
    """
    versions = ReportVersion.objects.filter(forbund=forbund).order_by("-number")
    if not include_drafts:
        versions = versions.filter(status=VersionStatus.GODKAND)
    reports = list(
        TertialReport.objects.filter(forbund=forbund)
        .prefetch_related(Prefetch("versions", queryset=versions, to_attr="visible_versions"))
        .order_by("-year", "-tertial")
    )
    for report in reports:
        # The newest version this reader may see, for the template.
        setattr(report, "shown", report.visible_versions[0] if report.visible_versions else None)  # noqa: B010
    return [r for r in reports if getattr(r, "shown", None) is not None]


def shown_version(*, report: TertialReport, include_drafts: bool) -> ReportVersion | None:
    """The version a reader sees first: the newest, or for the revisor the newest approved."""
    versions = ReportVersion.objects.filter(forbund_id=report.forbund_id, report=report)
    if not include_drafts:
        versions = versions.filter(status=VersionStatus.GODKAND)
    return versions.select_related("report", "meeting").order_by("-number").first()


def version_list(*, report: TertialReport, include_drafts: bool) -> list[ReportVersion]:
    """Every version of a report a reader may see, newest first (without their frozen content)."""
    versions = ReportVersion.objects.filter(forbund_id=report.forbund_id, report=report)
    if not include_drafts:
        versions = versions.filter(status=VersionStatus.GODKAND)
    # The list shows number and status: decoding each version's frozen report (about 200 kB of
    # JSON at national scale) cost more than the rest of the query.
    return list(versions.defer(*HEAVY_VERSION_FIELDS).order_by("-number"))


def history(*, report: TertialReport, include_drafts: bool) -> list[ReportEvent]:
    """Who did what, when, across the report's versions (oldest first, one query)."""
    events = ReportEvent.objects.filter(forbund_id=report.forbund_id, version__report=report)
    if not include_drafts:
        events = events.filter(version__status=VersionStatus.GODKAND)
    heavy = [f"version__{name}" for name in HEAVY_VERSION_FIELDS]
    # select_related builds one version per event: without the defer each would decode the frozen report.
    return list(events.select_related("actor", "version").defer(*heavy).order_by("created_at", "id"))


def comments_by_section(*, version: ReportVersion) -> dict[str, list[ReportComment]]:
    """The version's comments per section key, with authors and answerers (one query)."""
    grouped: dict[str, list[ReportComment]] = defaultdict(list)
    rows = (
        ReportComment.objects.filter(forbund_id=version.forbund_id, version=version)
        .select_related("author", "answered_by")
        .order_by("created_at", "id")
    )
    for comment in rows:
        grouped[comment.section].append(comment)
    return {key: grouped.get(key, []) for key in Section.values}


def meeting_choices(*, forbund: Forbund, year: int) -> QuerySet[Styrelsemote]:
    """Board meetings with a date in the report's year and the next (where T3 is approved)."""
    return Styrelsemote.objects.filter(
        forbund=forbund, year__in=(year, year + 1), date__isnull=False
    ).order_by("date")


def staff_report_tasks(*, forbund: Forbund, user) -> list[dict]:
    """For plattformspersonal: each open draft and each of their insatser, with whether it is written."""
    drafts = list(
        ReportVersion.objects.filter(forbund=forbund, status=VersionStatus.UTKAST)
        .select_related("report")
        .order_by("-report__year", "-report__tertial")
    )
    if not drafts:
        return []
    insatser = list(insats_list_for_staff(forbund=forbund, user=user))
    written = set(
        InsatsReport.objects.filter(
            forbund=forbund, version__in=drafts, insats__in=[i.pk for i in insatser]
        ).values_list("version_id", "insats_id")
    )
    return [
        {"version": version, "insats": insats, "written": (version.pk, insats.pk) in written}
        for version in drafts
        for insats in insatser
    ]


def open_comment_counts(*, forbund: Forbund) -> dict[int, int]:
    """Unanswered comments per version id, for versions with the board (one query)."""
    rows = (
        ReportComment.objects.filter(forbund=forbund, version__status=VersionStatus.SKICKAD)
        .values("version_id")
        .annotate(n=Count("id", filter=Q(status=CommentStatus.OPEN)))
    )
    return {row["version_id"]: row["n"] for row in rows}


def has_adopted_plan(*, forbund: Forbund, year: int) -> bool:
    """True when the year's verksamhetsplan has a fastställd version (the beat task drafts only then)."""
    return PlanVersion.objects.filter(forbund=forbund, plan__year=year, status=PlanStatus.FASTSTALLD).exists()
