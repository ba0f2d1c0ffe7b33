"""What the tertial reports' pages read most, computed after the förbund's data changes
(``apps.tenancy.datacache``, "Warming"): each draft's live content and progress, and the
statistics page of the draft's year, which its writer reads beside it. A sent report shows its
frozen content and needs nothing."""

from __future__ import annotations

from django.utils import timezone

from apps.followup.warm import warm_statistics_year
from apps.tenancy import datacache
from apps.tenancy.models import Forbund

from .content import report_progress, shown_content
from .models import ReportVersion, VersionStatus


@datacache.warmer("tertial-drafts")
def warm_drafts(forbund: Forbund) -> None:
    drafts = ReportVersion.objects.filter(forbund=forbund, status=VersionStatus.UTKAST).select_related(
        "report", "report__forbund"
    )
    years = set()
    for version in drafts:
        shown_content(version=version)
        report_progress(version=version)
        years.add(version.report.year)
    # This year's page is the follow-up's own warmer's.
    for year in sorted(years - {timezone.localdate().year}):
        warm_statistics_year(forbund, year)
