"""Narrative Markdown to sanitised HTML: CommonMark without raw HTML, then an nh3 allow-list."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "table", "thead", "tbody", "tr",
    "th", "td", "blockquote", "br",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}

_md = MarkdownIt("commonmark", {"html": False}).enable("table")


def _shift_headings(tokens) -> None:
    """Headings inside a section sit below its numbered h2: # -> h3, ## and deeper -> h4."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1])
            token.tag = "h3" if level <= 1 else "h4"


def render_markdown(text: str) -> str:
    """The sanitised HTML of a section's Markdown; the only HTML a template may mark safe."""
    tokens = _md.parse(text or "")
    _shift_headings(tokens)
    html = _md.renderer.render(tokens, _md.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
