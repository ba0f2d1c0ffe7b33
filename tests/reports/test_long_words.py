"""A 600-character word in a narrative section or a table wraps on the PDF page and on the web page."""

from __future__ import annotations

import io
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


def _with_table(forbund, actor, version, in_scope, cell):
    with in_scope(forbund):
        section = PlanSection.objects.filter(version=version, kind="narrative").order_by("position").first()
        plan_services.section_update(
            forbund=section.forbund,
            section=section,
            actor=actor,
            title=section.title,
            body_markdown=(
                "| Nr | Delmål | Indikator | Utvärdering | Datakälla |\n|---|---|---|---|---|\n"
                f"| 1.1 | Fler i arbete | {cell} | Följs löpande | Deltagardata |\n"
            ),
        )
        return pdf.version_html(version=version)


def _counting_renders(monkeypatch):
    calls = []
    original = pdf._render

    def counting(html, **kwargs):
        calls.append(kwargs)
        return original(html, **kwargs)

    monkeypatch.setattr(pdf, "_render", counting)
    return calls


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


def _cell_pieces(document, needle):
    from weasyprint.formatting_structure import boxes

    found = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableCellBox) and "".join(t.text for t in _text_boxes(box)) == needle:
                found.append(box)
    return found


def test_table_columns_keep_short_words_whole_and_render_once(docs, forbund_a, alice, in_scope, monkeypatch):
    # Columns are sized by whole words: "Nr" and "1.1" are not split letter by letter, and an
    # ordinary plan is laid out once (the fast way).
    from weasyprint import HTML

    html = _with_table(forbund_a, alice, docs["alfa"], in_scope, "Antal deltagare som går vidare till arbete")
    calls = _counting_renders(monkeypatch)
    rendered = pdf.html_to_pdf(html)
    assert rendered.pages > 1
    assert calls == [{}]
    document = HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.static_only_fetcher()).render()
    assert not pdf.wider_than_page(document)
    for needle in ("Nr", "1.1"):
        cells = _cell_pieces(document, needle)
        assert cells
        assert all([t.text for t in _text_boxes(cell)] == [needle] for cell in cells)


def test_long_word_in_a_table_stays_within_the_pdf_page(docs, forbund_a, alice, in_scope, monkeypatch):
    # A word too long for any column: the document is laid out again with every letter a
    # break opportunity, and the table fits the page.
    html = _with_table(forbund_a, alice, docs["alfa"], in_scope, WORD)
    calls = _counting_renders(monkeypatch)
    rendered = pdf.html_to_pdf(html)
    assert calls == [{}, {"wrap_anywhere": True}]
    assert not pdf.wider_than_page(pdf._render(html, wrap_anywhere=True))
    assert pdf.wider_than_page(pdf._render(html))  # what the second layout is for
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.content)).pages)
    assert re.sub(r"\s+", "", text).count(WORD) == 1
