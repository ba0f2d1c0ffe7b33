"""The report version as one standalone HTML document (print.html wraps the page's document.html)."""

from __future__ import annotations

from django.template.loader import render_to_string

from . import content, participants
from .models import ReportVersion


def document_context(*, version: ReportVersion) -> dict:
    """What document.html needs besides the page's own tools: the content, its counts and chart."""
    data = content.report_content(version=version)
    return {
        "report": version.report,
        "version": version,
        "data": data,
        "counts": content.status_counts(data["goals"]),
        "chart": content.economy_chart(data["economy"], tertial=data["tertial"]) if data["economy"] else None,
        "participants_chart": participants.month_chart(
            (data["participants"] or {}).get("months"), data["year"]
        ),
    }


def render_version_html(*, version: ReportVersion) -> str:
    """The whole version as print HTML (call inside the version's tenant scope)."""
    return render_to_string("tertial/print.html", {**document_context(version=version), "interactive": False})
