"""What the plan's pages read most, computed after the förbund's data changes
(``apps.tenancy.datacache``, "Warming"): the live data sections of every plan version still being
worked on (utkast or på remiss; at most one per plan). A fastställd version reads its frozen data
and needs nothing."""

from __future__ import annotations

from apps.tenancy import datacache
from apps.tenancy.models import Forbund

from .models import PlanVersion, VersionStatus
from .selectors import version_document


@datacache.warmer("plans-live-sections")
def warm_live_sections(forbund: Forbund) -> None:
    versions = (
        PlanVersion.objects.filter(forbund=forbund)
        .exclude(status=VersionStatus.FASTSTALLD)
        .select_related("plan", "plan__forbund")
        .defer("frozen_data")
    )
    for version in versions:
        version_document(version=version, with_comments=False)
