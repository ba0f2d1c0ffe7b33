"""What keeps a long plan's PDF fast and lean (issue 13): the goals tables' fixed column widths and
the user-agent stylesheet without per-element pseudo-element rules, with the same layout."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from apps.reports import pdf

PLAN_CSS = Path(settings.BASE_DIR) / "static" / "css" / "plan.css"


def _print_css() -> str:
    css = PLAN_CSS.read_text(encoding="utf-8")
    return css[css.index("@media print") :]


def _goal_tables(html: str) -> list[str]:
    return re.findall(r'<table class="table plan-table plan-goals">.*?</table>', html, re.S)


def test_every_goals_table_has_a_column_for_each_header(docs, forbund_a, in_scope):
    with in_scope(forbund_a):
        html = pdf.version_html(version=docs["alfa"])
    tables = _goal_tables(html)
    assert tables
    for table in tables:
        cols = re.findall(r'<col class="(plan-goals__[a-z]+)">', table)
        headers = re.findall(r'<th scope="col">', table)
        assert cols == [
            "plan-goals__label",
            "plan-goals__text",
            "plan-goals__indicator",
            "plan-goals__evaluation",
        ]
        assert len(headers) == len(cols)


def test_goals_columns_are_fixed_in_print_only_and_fill_the_table():
    css = PLAN_CSS.read_text(encoding="utf-8")
    screen = css[: css.index("@media print")]
    assert "plan-goals" not in screen  # the web page keeps the automatic table layout
    printed = _print_css()
    assert re.search(r"\.plan-goals \{ table-layout: fixed; \}", printed)
    widths = re.findall(r"\.plan-goals__[a-z]+ \{ width: (\d+)%; \}", printed)
    assert len(widths) == 4 and sum(int(w) for w in widths) == 100


def test_lean_user_agent_stylesheet_matches_this_weasyprint():
    # If a WeasyPrint upgrade changes its stylesheet, pdf.py falls back to the stock one (slower,
    # heavier, still right); this test says so, to look at the rules again.
    assert pdf._lean_ua_stylesheet() is not None
    assert pdf._html_class() is not pdf._weasyprint().HTML


def _text_boxes(document) -> list[tuple]:
    """Each page's text boxes with their places, absolutely placed ones (list markers) too."""
    from weasyprint.formatting_structure.boxes import TextBox
    from weasyprint.layout.absolute import AbsolutePlaceholder

    def walk(box):
        for child in getattr(box, "children", ()):
            child = child._box if isinstance(child, AbsolutePlaceholder) else child
            if isinstance(child, TextBox):
                yield child
            yield from walk(child)

    return [
        (number, box.text, round(box.position_x, 2), round(box.position_y, 2), round(box.width, 2))
        for number, page in enumerate(document.pages)
        for box in walk(page._page_box)
    ]


def test_lean_user_agent_stylesheet_lays_out_the_plan_box_for_box(adopted, forbund_a, in_scope):
    with in_scope(forbund_a):
        html = pdf.version_html(version=adopted["alfa"]).replace(
            "</article>", "<ol><li>Första punkten</li><li>Andra punkten</li></ol></article>"
        )
    weasyprint = pdf._weasyprint()
    stock = weasyprint.HTML(
        string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.static_only_fetcher()
    ).render()
    lean = pdf._render(html)
    assert _text_boxes(lean) == _text_boxes(stock)
    assert any(text == "2. " for _, text, *_ in _text_boxes(lean))  # list markers are still there


SMALL_DOCUMENT = (
    '<html lang="sv"><head><title>Plan</title><link rel="stylesheet" href="/static/css/plan.css"></head>'
    '<body class="plan-print"><article class="plan-document"><h2 id="a">Avsnitt</h2><p>Text.</p>'
    '<table class="table plan-table"><thead><tr><th scope="col">Post</th><th scope="col">Belopp</th></tr>'
    '</thead><tbody><tr><th scope="row">Kansli</th><td class="num">1 000 kr</td></tr></tbody></table>'
    "<ul><li>En punkt</li></ul></article></body></html>"
)


def test_pdf_written_with_the_layout_let_go_is_weasyprints_byte_for_byte():
    expected = pdf._render(SMALL_DOCUMENT).write_pdf(pdf_variant=pdf.PDF_VARIANT)
    document = pdf._render(SMALL_DOCUMENT)
    assert pdf._write_pdf(document) == expected
    assert document.pages == []  # the laid-out pages were let go before serialising
