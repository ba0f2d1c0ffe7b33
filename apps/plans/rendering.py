"""The plan version as one standalone HTML document, for WeasyPrint (same template as the web page)."""

from __future__ import annotations

from django.template.loader import render_to_string

from . import selectors
from .models import PlanVersion


def render_version_html(*, version: PlanVersion) -> str:
    """The whole version as HTML with print CSS: plans/print.html wrapping plans/document.html."""
    document = selectors.version_document(version=version)
    return render_to_string("plans/print.html", {"document": document, "interactive": False})
