"""The plan version as HTML: each data section rendered once, and the document for WeasyPrint."""

from __future__ import annotations

from django.template.loader import render_to_string

from . import selectors
from .models import PlanVersion
from .selectors import PlanDocument


def render_data_sections(document: PlanDocument, *, interactive: bool) -> None:
    """Render each data section's template into ``item.html``, once per data key.

    A plan may show the same data more than once (a long plan repeats its tables), and a data
    template depends only on its data, so every section with the same key shares one rendering.
    The template receives ``data``, ``interactive`` (the web page, not the PDF), the version and
    the förbund.
    """
    rendered: dict[tuple[str, str], str] = {}
    for item in document.all_sections:
        if not item.is_data:
            continue
        key = (item.section.data_key, item.template_name)
        if key not in rendered:
            rendered[key] = render_to_string(
                item.template_name,
                {
                    "data": item.data,
                    "interactive": interactive,
                    "version": document.version,
                    "forbund": document.forbund,
                },
            )
        item.html = rendered[key]


def render_version_html(*, version: PlanVersion) -> str:
    """The whole version as HTML with print CSS: plans/print.html wrapping plans/document.html."""
    document = selectors.version_document(version=version)
    render_data_sections(document, interactive=False)
    return render_to_string("plans/print.html", {"document": document, "interactive": False})
