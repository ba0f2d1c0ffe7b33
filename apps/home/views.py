"""The overview: a förbund's start page, with a summary from each domain app the user may read."""

from __future__ import annotations

from django.shortcuts import render

from apps.members import selectors as member_selectors
from apps.tenancy.access import require_ability


@require_ability("overview_view")
def overview(request, forbund_slug):
    """The förbund's start page."""
    context = {}
    if request.abilities["members_view"]:
        context["medlemmar"] = list(member_selectors.medlem_list(forbund=request.forbund))
    return render(request, "home/overview.html", context)
