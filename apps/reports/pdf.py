"""The plan version as PDF bytes: plans/print.html through WeasyPrint, tagged (PDF/UA-1).

Used by the Celery task, the ``plan_pdf`` command and ``make bench`` alike. Only the app's own
static files can be fetched while rendering; any other URL (an image in a narrative, say) is
refused, so a plan can never make the server fetch something.
"""

from __future__ import annotations

import gc
import hashlib
import io
import mimetypes
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

from apps.plans.models import PlanVersion
from apps.plans.rendering import render_version_html

BASE_URL = "https://samordning.invalid/"
PDF_VARIANT = "pdf/ua-1"


@cache
def _fetcher_class():
    # WeasyPrint is imported on first use only: web processes and commands start faster.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serve the app's static files from the finders; refuse every other URL."""

        def fetch(self, url, headers=None):
            prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
            if not url.startswith(prefix):
                raise ValueError(f"Extern resurs blockerad: {url}")
            relative = url[len(prefix) :].split("?")[0].split("#")[0]
            path = finders.find(relative)
            if not path or ".." in Path(relative).parts:
                raise ValueError(f"Statisk fil saknas: {relative}")
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": content_type})

    return StaticOnlyFetcher


def static_only_fetcher():
    """A WeasyPrint URL fetcher that serves only the app's static files."""
    return _fetcher_class()()


@dataclass(frozen=True)
class RenderedPdf:
    """The PDF bytes with their SHA-256 and page count."""

    content: bytes
    sha256: str
    pages: int


def html_digest(html: str) -> str:
    """SHA-256 of the rendered HTML: the content key of a document."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def content_key(*, version: PlanVersion, html: str) -> str:
    """The key of a document: the version's state and its print HTML, hashed together.

    The state is part of the key on its own (not only through the cover's wording), so a PDF
    made while the version was på remiss can never pass for the fastställd one.
    """
    return html_digest(f"{version.status}\n{html}")


def version_content_key(*, version: PlanVersion) -> str:
    """The content key of the version as it is now (renders its HTML)."""
    return content_key(version=version, html=version_html(version=version))


def version_html(*, version: PlanVersion) -> str:
    """The version's print HTML (the one template the web page uses too)."""
    return render_version_html(version=version)


# The print CSS (static/css/plan.css) lets a word break only where it does not fit its line, so
# WeasyPrint sizes table columns by whole words, which is fast. A word too long for any column
# (a pasted URL, say) would then make its table wider than the page: such a document is laid out
# once more with the screen's rule, every letter a break opportunity (the slow way, rarely).
WRAP_ANYWHERE_CSS = (
    ".plan-document, .plan-comments, .plan-preview, .plan-diff, .plan-signatures "
    "{ overflow-wrap: anywhere !important; }"
)


def _linear_page_references(pdf_class) -> None:
    """Make pydyf's ``PDF.page_references`` build its tuple once per page count, not on every read.

    pydyf 0.13 rebuilds the tuple of all page references each time the property is read, and
    WeasyPrint reads it once for every tagged element (PDF/UA) and link: quadratic in the page
    count (about 0.9 s of CPU for a 149-page plan, nothing for 20 pages). Pages are only ever
    appended to ``Kids``, so the tuple built for the current length is the right one. Applied once,
    and only where the property is the plain one this was written against.
    """
    original = pdf_class.__dict__.get("page_references")
    if not isinstance(original, property) or getattr(original.fget, "linear", False):
        return

    def page_references(self):
        kids = self.pages["Kids"]
        cached = self.__dict__.get("_page_references")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), original.fget(self))
            self.__dict__["_page_references"] = cached
        return cached[1]

    page_references.linear = True
    pdf_class.page_references = property(page_references, doc=original.__doc__)


@cache
def _weasyprint():
    # WeasyPrint is imported on first use only: web processes and commands start faster.
    import pydyf
    import weasyprint

    _linear_page_references(pydyf.PDF)
    return weasyprint


def preload() -> None:
    """Import WeasyPrint now (a Celery worker process at its start): the import and its lookup of
    the system libraries take about 0.6 s, which the process's first PDF would otherwise pay."""
    _weasyprint()
    _html_class()


# WeasyPrint's user-agent stylesheet gives six pseudo-elements of every element a rule (``::marker``
# and the footnote and note calls and markers), and every matched pseudo-element gets a computed
# style of its own, never shared: six per element, used only by list items and footnotes (a
# 149-page plan: 61 000 such styles, about 26 MB of peak RSS and their share of the cascade). The
# print CSS makes no footnotes or notes (no ``float: footnote``), and only ``li`` are list items
# (a marker without its rule would only fall back to its element's style). So the stylesheet used
# is WeasyPrint's own text with the marker rule scoped to ``li`` and the note rules left out; the
# documents are laid out the same, box for box.
UA_MARKER_RULE = "\n::marker {"
UA_MARKER_SCOPED = "\nli::marker {"
UA_NOTE_RULES = re.compile(r"^::(?:footnote|note)-(?:call|marker|callback) \{[^}]*\}$", re.MULTILINE)


@cache
def _lean_ua_stylesheet():
    """WeasyPrint's UA stylesheet without the per-element pseudo-element rules, or None if this
    WeasyPrint's stylesheet is not the one this was written against."""
    from weasyprint import html as weasyprint_html
    from weasyprint.css.counters import CounterStyle

    text = weasyprint_html.UA
    if text.count(UA_MARKER_RULE) != 1 or len(UA_NOTE_RULES.findall(text)) != 5:
        return None
    text = UA_NOTE_RULES.sub("", text.replace(UA_MARKER_RULE, UA_MARKER_SCOPED))
    # Its @counter-style rules are in WeasyPrint's UA counter styles already (which every document
    # copies); parsed into those again, each would be refused with a warning.
    return _weasyprint().CSS(string=text, counter_style=CounterStyle())


@cache
def _html_class():
    weasyprint = _weasyprint()
    ua_stylesheet = _lean_ua_stylesheet()
    if ua_stylesheet is None or not callable(getattr(weasyprint.HTML, "_ua_stylesheets", None)):
        return weasyprint.HTML

    class PrintHTML(weasyprint.HTML):
        """HTML with the lean user-agent stylesheet (a form keeps WeasyPrint's form stylesheet)."""

        def _ua_stylesheets(self, forms=False):
            return [ua_stylesheet, *super()._ua_stylesheets(forms)[1:]]

    return PrintHTML


def _render(html: str, *, wrap_anywhere: bool = False):
    CSS, HTML = _weasyprint().CSS, _html_class()

    stylesheets = [CSS(string=WRAP_ANYWHERE_CSS)] if wrap_anywhere else None
    return HTML(string=html, base_url=BASE_URL, url_fetcher=static_only_fetcher()).render(
        stylesheets=stylesheets
    )


def wider_than_page(document) -> bool:
    """Whether any box of the laid-out ``document`` reaches past the right edge of its page's text area."""
    from weasyprint.formatting_structure.boxes import MarginBox

    for page in document.pages:
        page_box = page._page_box
        right_edge = page_box.content_box_x() + page_box.width + 0.5
        for child in page_box.children:
            if isinstance(child, MarginBox):  # the running headers and footers live in the margin
                continue
            for box in child.descendants():
                if box.width is not None and box.border_box_x() + box.border_width() > right_edge:
                    return True
    return False


# From this many pages on, the layout's garbage is collected before the PDF is drawn (html_to_pdf).
COLLECT_BEFORE_DRAWING_PAGES = 40


def html_to_pdf(html: str) -> RenderedPdf:
    """Render print HTML to a tagged PDF/UA-1 and count its pages.

    Layout leaves cyclic garbage (discarded line and page attempts) that Python's collector reaches
    only rarely. In a long document it is collected before drawing, so that the PDF objects reuse
    its memory instead of adding to it (149-page plan: 419 000 objects, peak RSS 373 MB → 322 MB for
    about 0.9 s of CPU); in a short one it would cost time (0.1 s for 21 pages) for a few megabytes.
    """
    document = _render(html)
    if wider_than_page(document):
        document = None  # freed before the second layout
        gc.collect()
        document = _render(html, wrap_anywhere=True)
    pages = len(document.pages)
    if pages >= COLLECT_BEFORE_DRAWING_PAGES:
        gc.collect()
    content = _write_pdf(document)
    return RenderedPdf(content=content, sha256=hashlib.sha256(content).hexdigest(), pages=pages)


def _write_pdf(document) -> bytes:
    """``document.write_pdf(pdf_variant=PDF_VARIANT)``, with the layout let go before serialising.

    WeasyPrint first builds every PDF object (drawing, fonts, PDF/UA tags), then serialises them,
    all the while holding the laid-out pages (boxes, Pango layouts); each page's content stream keeps
    its tagged boxes too. Here the pages and those references are dropped once the objects are
    built, so that serialising reuses their memory (149-page plan: peak RSS about 10 MB lower). The
    ``document`` has no pages afterwards. Falls back to ``write_pdf`` where WeasyPrint's internals
    are not the ones this was written against.
    """
    try:
        from weasyprint import DEFAULT_OPTIONS
        from weasyprint.pdf import VARIANTS, generate_pdf
    except ImportError:  # pragma: no cover (another WeasyPrint)
        return document.write_pdf(pdf_variant=PDF_VARIANT)

    # As Document.write_pdf does: the variant's properties fill the options left unset.
    options = dict(DEFAULT_OPTIONS, pdf_variant=PDF_VARIANT)
    properties = VARIANTS[PDF_VARIANT][1]
    for key, value in tuple(options.items()):
        if value is None and key in properties:
            options[key] = properties[key]
    pdf = generate_pdf(document, None, 1, **options)
    for obj in pdf.objects:
        if getattr(obj, "_tags", None) is not None:
            obj._tags = None
    document.pages.clear()
    output = io.BytesIO()
    pdf.write(output, options["pdf_version"], options["pdf_identifier"], not options["uncompressed_pdf"])
    return output.getvalue()


def version_pdf(*, version: PlanVersion) -> RenderedPdf:
    """The version as PDF (call inside the version's tenant scope)."""
    return html_to_pdf(version_html(version=version))
