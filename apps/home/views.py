"""The overview: a förbund's start page that says what needs the reader, one set of counts per role."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from apps.core.views import tenant_view

from . import selectors


@tenant_view("overview_view")
def overview(request, forbund_slug):
    """The förbund's start page: counts and links for what this role does (abilities decide which)."""
    forbund, abilities, today = request.forbund, request.abilities, timezone.localdate()
    context: dict = {"today": today}
    if abilities.get("report_edit"):
        context["editor"] = selectors.editor_overview(forbund=forbund, today=today)
    if abilities.get("reports_approve"):
        context["board"] = selectors.board_overview(forbund=forbund, user=request.user, today=today)
    if abilities.get("participants_log"):
        context["staff"] = selectors.staff_overview(forbund=forbund, user=request.user, today=today)
    if abilities.get("report_view") and not abilities.get("report_draft_view"):
        context["auditor"] = selectors.auditor_overview(forbund=forbund)
    return render(request, "home/overview.html", context)
