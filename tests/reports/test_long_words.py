"""A 600-character word in a narrative section wraps on the PDF page and on the web page."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from apps.plans import services as plan_services
from apps.plans.models import PlanSection
from apps.reports import pdf

WORD = "Samordning" * 60  # 600 letters, no break opportunity


def _with_long_word(forbund, actor, version, in_scope):
    with in_scope(forbund):
        section = PlanSection.objects.filter(version=version, kind="narrative").order_by("position").first()
        plan_services.section_update(
            forbund=section.forbund,
            section=section,
            actor=actor,
            title=section.title,
            body_markdown=f"Inledning {WORD} slut.",
        )
        return pdf.version_html(version=version)


def _text_boxes(box):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child)


def test_long_word_stays_within_the_pdf_page(docs, forbund_a, alice, in_scope):
    from weasyprint import HTML

    html = _with_long_word(forbund_a, alice, docs["alfa"], in_scope)
    document = HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.static_only_fetcher()).render()
    pieces = []
    for page in document.pages:
        right_edge = page.width - page._page_box.margin_right
        for box in _text_boxes(page._page_box):
            if "SamordningSamordning" in box.text:
                pieces.append((box.position_x + box.width, right_edge))
    assert len(pieces) > 1  # the word is split over several lines
    assert all(end <= edge + 0.5 for end, edge in pieces), pieces


def test_long_word_text_is_all_in_the_pdf(docs, forbund_a, alice, in_scope):
    import io

    from pypdf import PdfReader

    html = _with_long_word(forbund_a, alice, docs["alfa"], in_scope)
    reader = PdfReader(io.BytesIO(pdf.html_to_pdf(html).content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert re.sub(r"\s+", "", text).count(WORD) == 1


def _css(name):
    return (Path(settings.BASE_DIR) / "static" / "css" / name).read_text()


def test_plan_css_wraps_long_words_on_page_and_in_pdf():
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", _css("plan.css"))
    wrapping = [selectors for selectors, body in rules if "overflow-wrap: anywhere" in body]
    assert any(".plan-document" in s and ".plan-comments" in s and ".plan-preview" in s for s in wrapping)


def test_app_css_wraps_long_words_in_main():
    rule = re.search(r"^main \{([^}]*)\}", _css("app.css"), re.M)
    assert "overflow-wrap: break-word" in rule[1]
