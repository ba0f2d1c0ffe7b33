"""The PDF itself: cover, contents, headings, figures, page numbers, signatures, tags, sanitising."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from apps.plans import services as plan_services
from apps.plans.models import PlanSection
from apps.reports import pdf


@pytest.fixture
def adopted_pdf(adopted, forbund_a, in_scope):
    with in_scope(forbund_a):
        rendered = pdf.version_pdf(version=adopted["alfa"])
    reader = PdfReader(io.BytesIO(rendered.content))
    return rendered, reader, [page.extract_text() for page in reader.pages]


def test_pdf_cover_shows_forbund_year_status_and_adoption_date(adopted_pdf):
    _, _, pages = adopted_pdf
    assert "Samordningsförbundet Alfa" in pages[0]
    assert "Verksamhetsplan 2026" in pages[0]
    assert "fastställd" in pages[0]
    assert "2025-11-30" in pages[0]
    assert "Sida" not in pages[0]


def test_pdf_contents_list_numbered_headings_with_page_numbers(adopted_pdf):
    _, _, pages = adopted_pdf
    assert "Innehåll" in pages[1]
    assert re.search(r"7 Insatser\s*\.+\s*\d+", pages[1])
    body = "\n".join(pages[2:])
    assert re.search(r"7\s+Insatser", body)
    assert re.search(r"1\s+Bakgrund och ändamål", body)


def test_pdf_shows_budget_figure_in_kronor(adopted_pdf):
    _, _, pages = adopted_pdf
    assert "8 750 000 kr" in "\n".join(pages).replace("\u202f", " ").replace("\xa0", " ")


def test_pdf_page_numbers_say_page_of_total(adopted_pdf):
    rendered, reader, pages = adopted_pdf
    total = len(reader.pages)
    assert rendered.pages == total == len(PdfReader(io.BytesIO(rendered.content)).pages)
    assert f"Sida 2 av {total}" in pages[1]
    assert f"Sida {total} av {total}" in pages[-1]


def test_pdf_signature_page_lists_ordinarie_ledamoter(adopted_pdf):
    _, _, pages = adopted_pdf
    assert "Underskrifter" in pages[-1]
    assert "Utgående alfa" in pages[-1]
    assert "Fortsättande alfa" not in pages[-1]  # an ersättare does not sign


def test_pdf_is_tagged_for_accessibility(adopted_pdf):
    _, reader, _ = adopted_pdf
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"]


def test_pdf_tags_point_at_the_page_they_are_on(adopted_pdf):
    # pdf.py builds pydyf's page references once per page count (WeasyPrint reads them for every
    # tagged element): the headings of the contents page and of the last page must name those pages.
    _, reader, _ = adopted_pdf
    pages = [page.indirect_reference.idnum for page in reader.pages]
    seen = set()

    def walk(node):
        node = node.get_object()
        if "/Pg" in node:
            seen.add(node.raw_get("/Pg").idnum)
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert seen <= set(pages)
    assert {pages[0], pages[1], pages[-1]} <= seen


def test_page_references_follow_pages_added_later():
    import pydyf

    pdf._weasyprint()  # applies the one-tuple-per-page-count page references
    document = pydyf.PDF()
    document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = document.page_references
    assert document.page_references is first
    document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert document.page_references == tuple(f"{n} 0 R".encode() for n in document.pages["Kids"][::3])
    assert len(document.page_references) == 2


@pytest.mark.parametrize(("threshold", "collections"), [(1, 1), (2, 0)])
def test_long_document_garbage_is_collected_before_drawing(monkeypatch, threshold, collections):
    # The layout's garbage is collected before drawing only from COLLECT_BEFORE_DRAWING_PAGES on.
    calls = []
    monkeypatch.setattr(pdf, "COLLECT_BEFORE_DRAWING_PAGES", threshold)
    monkeypatch.setattr(pdf.gc, "collect", lambda *args: calls.append(args) or 0)
    rendered = pdf.html_to_pdf('<html lang="sv"><body><p>En sida.</p></body></html>')
    assert rendered.pages == 1
    assert len(calls) == collections


def test_pdf_of_section_with_script_has_no_script(docs, forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        section = PlanSection.objects.filter(version=docs["alfa"], kind="narrative").first()
        plan_services.section_update(
            forbund=section.forbund,
            section=section,
            actor=alice,
            title=section.title,
            body_markdown="Hej <script>alert('pwnd')</script> <img src=x onerror=alert(1)>",
        )
        html = pdf.version_html(version=docs["alfa"])
        rendered = pdf.html_to_pdf(html)
    assert "<script" not in html
    assert not re.search(r"<img[^>]*onerror", html)
    assert b"/JavaScript" not in rendered.content
    assert b"/JS" not in rendered.content
    assert b"/OpenAction" not in rendered.content


def test_pdf_fetcher_refuses_other_urls():
    fetcher = pdf.static_only_fetcher()
    with pytest.raises(ValueError, match="blockerad"):
        fetcher.fetch("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(ValueError, match="blockerad"):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch(pdf.BASE_URL + "static/css/plan.css").read().startswith(b"/*")


def test_a_celery_worker_process_loads_weasyprint_when_it_starts():
    """The first PDF of a worker process does not pay for importing WeasyPrint (about 0.6 s)."""
    from celery.signals import worker_process_init

    from apps.reports import pdf

    pdf._weasyprint.cache_clear()
    pdf._html_class.cache_clear()
    worker_process_init.send(sender=None)
    assert pdf._weasyprint.cache_info().currsize == 1
    assert pdf._html_class.cache_info().currsize == 1  # with its user-agent stylesheet parsed
