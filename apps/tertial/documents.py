"""The tertial report as a document kind of apps.reports: the same PDF machinery as the plan."""

from __future__ import annotations

from apps.reports import kinds, pdf
from apps.reports.models import DocumentKind

from . import selectors
from .rendering import render_version_html


def _visible(abilities: dict, version) -> bool:
    """A version that is not approved is invisible to readers without report_draft_view: the revisor."""
    return version.is_approved or abilities.get("report_draft_view", False)


def _filename(version) -> str:
    report = version.report
    return f"tertialrapport-{report.year}-{report.name}-version-{version.number}.pdf"


kinds.register(
    kinds.DocumentKindSpec(
        kind=DocumentKind.TERTIALRAPPORT,
        field="report_version",
        html=lambda version: render_version_html(version=version),
        render=lambda version: pdf.html_to_pdf(render_version_html(version=version)),
        state=lambda version: version.status,
        filename=_filename,
        queryset=lambda forbund: selectors.version_queryset(forbund=forbund),
        read_ability="report_view",
        visible=_visible,
        panel_url="reports:tertial_document_panel",
        create_url="reports:tertial_document_create",
        back_url=lambda version: ("tertial:version_detail", [version.public_id]),
        title=lambda version: (
            f"PDF av tertialrapport {version.report.name} {version.report.year}, version {version.number}"
        ),
    )
)
