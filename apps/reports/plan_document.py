"""The verksamhetsplan as a document kind: a plan version printed through plans/print.html."""

from __future__ import annotations

from apps.plans import selectors as plan_selectors
from apps.plans.access import version_visible

from . import kinds, pdf
from .models import DocumentKind

kinds.register(
    kinds.DocumentKindSpec(
        kind=DocumentKind.VERKSAMHETSPLAN,
        field="plan_version",
        html=lambda version: pdf.version_html(version=version),
        # Looked up at call time, so tests may replace pdf.version_pdf.
        render=lambda version: pdf.version_pdf(version=version),
        state=lambda version: version.status,
        filename=lambda version: f"verksamhetsplan-{version.plan.year}-version-{version.number}.pdf",
        queryset=lambda forbund: plan_selectors.version_queryset(forbund=forbund),
        read_ability="plan_view",
        visible=version_visible,
        panel_url="reports:document_panel",
        create_url="reports:document_create",
        back_url=lambda version: ("plans:version_detail", [version.public_id]),
        title=lambda version: f"PDF av verksamhetsplan {version.plan.year}, version {version.number}",
    )
)
