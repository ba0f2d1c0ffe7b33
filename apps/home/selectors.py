"""What each role's start page counts: one function per role, a fixed number of queries each.

The home page sits on the top floor and reads across the domain apps through their models and
selectors; every figure is a count or a sum with a link, never prose.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Q, Sum

from apps.budgets.utfall import selectors as utfall_selectors
from apps.followup.selectors import staff_deltagare, statistics_page
from apps.insatser.models import InsatsYear
from apps.insatser.selectors import insats_list_for_staff
from apps.members.models import Styrelsemote
from apps.plans.models import CommentStatus as PlanCommentStatus
from apps.plans.models import PlanVersion, SectionComment
from apps.plans.models import VersionStatus as PlanStatus
from apps.reports.models import DocumentStatus, GeneratedDocument
from apps.tenancy.models import Forbund
from apps.tertial import content as report_content
from apps.tertial import selectors as report_selectors
from apps.tertial.models import CommentStatus, ReportComment, ReportVersion, VersionStatus

STALE_DAYS = 60


def next_meetings(*, forbund: Forbund, today: datetime.date, limit: int = 3) -> list[Styrelsemote]:
    """The coming board meetings: dated from today on, or planned for this month or later."""
    return list(
        Styrelsemote.objects.filter(forbund=forbund)
        .filter(
            Q(date__gte=today)
            | Q(date__isnull=True, year=today.year, month__gte=today.month)
            | Q(date__isnull=True, year__gt=today.year)
        )
        .order_by("year", "month", "date")[:limit]
    )


# The start page names versions and their state; decoding each one's frozen content (a plan's or
# a report's, hundreds of kB of JSON at national scale) cost more than the rest of the page.
LIST_DEFER = ("frozen_data",)


def year_plan(*, forbund: Forbund, year: int) -> PlanVersion | None:
    """The newest version of the year's verksamhetsplan (its state is what the page shows)."""
    return (
        PlanVersion.objects.filter(forbund=forbund, plan__year=year)
        .select_related("plan")
        .defer(*LIST_DEFER)
        .order_by("-number")
        .first()
    )


def current_report(*, forbund: Forbund) -> ReportVersion | None:
    """The newest version of the newest tertial report."""
    return (
        ReportVersion.objects.filter(forbund=forbund)
        .select_related("report")
        .order_by("-report__year", "-report__tertial", "-number")
        .first()
    )


def open_comment_counts(*, forbund: Forbund) -> dict:
    """Unanswered comments on plans på remiss and on reports with the board (two queries)."""
    plan = SectionComment.objects.filter(
        forbund=forbund, status=PlanCommentStatus.OPEN, section__version__status=PlanStatus.PA_REMISS
    ).count()
    report = ReportComment.objects.filter(
        forbund=forbund, status=CommentStatus.OPEN, version__status=VersionStatus.SKICKAD
    ).count()
    return {"plan": plan, "report": report}


def participants_so_far(*, forbund: Forbund, year: int) -> dict:
    """Active participants this year (protected, from the follow-up) against the budgeted volume."""
    insatser = report_content.reported_insatser(forbund=forbund, year=year)
    volume = (
        InsatsYear.objects.filter(forbund=forbund, year=year).aggregate(v=Sum("budgeted_volume"))["v"] or 0
    )
    if not insatser:
        return {"active": "0", "volume": volume}
    page = statistics_page(
        forbund=forbund, year=year, period="hittills", insatser=insatser, reveal=False, with_surveys=False
    )
    return {"active": page["kon_tables"][1].total.text, "volume": volume}


def editor_overview(*, forbund: Forbund, today: datetime.date) -> dict:
    """Förbundschef and kansli: plan, current report and what it lacks, economy, goals, participants."""
    year = today.year
    version = current_report(forbund=forbund)
    report = None
    if version is not None:
        data = report_content.report_progress(version=version)
        missing = report_content.missing(data) if version.status == VersionStatus.UTKAST else None
        report = {
            "version": version,
            "missing": missing,
            "counts": report_content.status_counts(data["goals"]),
        }
    follow = utfall_selectors.followup(forbund=forbund, year=year)
    economy = None
    if follow is not None:
        total = follow.cost_total
        so_far = total.so_far or utfall_selectors.Period(0, 0)
        economy = {
            "year": year,
            "months": follow.months_with_data,
            "label": follow.so_far_label,
            "budget": so_far.budget,
            "utfall": so_far.utfall,
            "annual": total.annual,
            "prognosis": total.prognosis,
        }
    return {
        "year": year,
        "plan": year_plan(forbund=forbund, year=year),
        "report": report,
        "economy": economy,
        "participants": participants_so_far(forbund=forbund, year=year),
        "comments": open_comment_counts(forbund=forbund),
        "meetings": next_meetings(forbund=forbund, today=today, limit=1),
    }


def board_overview(*, forbund: Forbund, user, today: datetime.date) -> dict:
    """Styrelse: reports and plans waiting for them, their own unanswered comments, next meetings."""
    reports = list(
        ReportVersion.objects.filter(forbund=forbund, status=VersionStatus.SKICKAD)
        .select_related("report")
        .defer(*LIST_DEFER)
        .order_by("-report__year", "-report__tertial")
    )
    plans = list(
        PlanVersion.objects.filter(forbund=forbund, status=PlanStatus.PA_REMISS)
        .select_related("plan")
        .defer(*LIST_DEFER)
        .order_by("-plan__year")
    )
    own = {
        "report": ReportComment.objects.filter(
            forbund=forbund, author=user, status=CommentStatus.OPEN
        ).count(),
        "plan": SectionComment.objects.filter(
            forbund=forbund, author=user, status=PlanCommentStatus.OPEN
        ).count(),
    }
    return {
        "reports": reports,
        "plans": plans,
        "own_comments": own,
        "meetings": next_meetings(forbund=forbund, today=today),
    }


def staff_overview(*, forbund: Forbund, user, today: datetime.date) -> dict:
    """Plattformspersonal: their insatser, participants without a recent assessment, reports to write."""
    insatser = list(insats_list_for_staff(forbund=forbund, user=user))
    since = today - datetime.timedelta(days=STALE_DAYS)
    stale = (
        staff_deltagare(forbund=forbund, user=user)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)
        .annotate(latest=Max("bedomningar__date"))
        .filter(Q(latest__isnull=True) | Q(latest__lt=since))
        .values("insats_id")
        .annotate(n=Count("pk"))
    )
    stale_by_insats = {row["insats_id"]: row["n"] for row in stale}
    tasks = [t for t in report_selectors.staff_report_tasks(forbund=forbund, user=user) if not t["written"]]
    return {
        "insatser": [{"insats": i, "stale": stale_by_insats.get(i.pk, 0)} for i in insatser],
        "stale_total": sum(stale_by_insats.values()),
        "stale_days": STALE_DAYS,
        "tasks": tasks,
    }


def _done_documents(forbund: Forbund, field: str, ids: list[int]) -> dict[int, GeneratedDocument]:
    """The newest finished PDF per version id (one query)."""
    documents = GeneratedDocument.objects.filter(
        forbund=forbund, status=DocumentStatus.DONE, **{f"{field}__in": ids}
    ).order_by("-finished_at", "-id")
    newest: dict[int, GeneratedDocument] = {}
    for document in documents:
        newest.setdefault(getattr(document, f"{field}_id"), document)
    return newest


def auditor_overview(*, forbund: Forbund) -> dict:
    """Revisor: adopted plans and approved reports, each with its newest PDF and SHA-256."""
    plans = list(
        PlanVersion.objects.filter(forbund=forbund, status=PlanStatus.FASTSTALLD)
        .select_related("plan")
        .defer(*LIST_DEFER)
        .order_by("-plan__year", "-number")
    )
    reports = list(
        ReportVersion.objects.filter(forbund=forbund, status=VersionStatus.GODKAND)
        .select_related("report")
        .defer(*LIST_DEFER)
        .order_by("-report__year", "-report__tertial")
    )
    plan_docs = _done_documents(forbund, "plan_version", [v.pk for v in plans])
    report_docs = _done_documents(forbund, "report_version", [v.pk for v in reports])
    return {
        "plans": [{"version": v, "document": plan_docs.get(v.pk)} for v in plans],
        "reports": [{"version": v, "document": report_docs.get(v.pk)} for v in reports],
    }
