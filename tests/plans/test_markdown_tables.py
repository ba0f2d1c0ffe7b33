"""A bilaga's tables written as GFM tables in the section's Markdown survive the sanitiser."""

from __future__ import annotations

from apps.plans.markdown import render_markdown

TABLE = """| Kommun | Folkmängd |
|---|---:|
| Motala | 43 505 |
| **Totalt** | **90 444** |
"""


def test_markdown_gfm_table_renders_head_and_body_rows():
    html = render_markdown(TABLE)
    assert "<table>" in html and "<thead>" in html and "<tbody>" in html
    assert "<th>Kommun</th>" in html
    assert "<td>Motala</td>" in html
    assert "<td><strong>Totalt</strong></td>" in html


def test_markdown_gfm_table_drops_inline_alignment_style():
    # The strict CSP forbids inline styles, so the sanitiser must not keep markdown-it's align style.
    assert "style=" not in render_markdown(TABLE)
