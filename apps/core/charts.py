"""Charts as SVG drawn on the server with pygal, for pages and PDFs alike.

Why pygal: it is pure Python, renders a chart in about 5 ms (matplotlib needed about 27 ms and
0.5 s to import, measured for a 12-bar chart), and writes plain SVG. A chart is shown as an
``<img>`` whose source is a ``data:`` URI, which the strict CSP allows (``img-src 'self' data:``):
an SVG loaded as an image runs no script and its own ``<style>`` applies inside it only.
pygal's tooltip ``<script>`` and its random chart id are removed, so the same figures always give
the same bytes (documents are identified by a hash of their content).

Every chart must be shown with its figures in a table and a text alternative; ``Chart`` carries
the alt text, and the templates render the table from the same figures.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

import pygal
from pygal.style import Style

# Colours with at least 3:1 contrast against white, told apart by pattern-free shape as well.
PALETTE = ("#1f5f8b", "#b3541e", "#2f7d32", "#6a3d9a", "#8c6d1f", "#4d4d4d")
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#595959",
    colors=PALETTE,
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
    title_font_size=15,
    opacity="1",
    opacity_hover="1",
)

_SCRIPT = re.compile(r"<script.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CHART_ID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True)
class Chart:
    """A rendered chart: the SVG, its ``data:`` URI for an ``<img>``, and the text alternative."""

    svg: str
    alt: str

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _swedish(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "\u00a0").replace(".", ",")
    return f"{int(value):,}".replace(",", "\u00a0")


def _finish(chart, alt: str) -> Chart:
    svg = chart.render(is_unicode=True)
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))
    svg = _CHART_ID.sub("chart-id", svg)
    stable = "chart-" + hashlib.sha256(svg.encode()).hexdigest()[:16]
    return Chart(svg=svg.replace("chart-id", stable), alt=alt)


def _config(**extra):
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": 720,
        "height": 360,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 4,
        "value_formatter": _swedish,
        "no_data_text": "Inga uppgifter",
        "print_zeroes": False,
        **extra,
    }


def bar_chart(*, labels: list[str], series: list[tuple[str, list]], alt: str, y_title: str = "") -> Chart:
    """Grouped bars per label (budget and utfall per tertial)."""
    chart = pygal.Bar(**_config(y_title=y_title))
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    return _finish(chart, alt)


def line_chart(
    *,
    labels: list[str],
    series: list[tuple[str, list]],
    alt: str,
    dashed: frozenset[str] = frozenset(),
    y_title: str = "",
) -> Chart:
    """Lines per label (participants per month); series named in ``dashed`` are reference lines."""
    chart = pygal.Line(**_config(y_title=y_title, include_x_axis=True))
    chart.x_labels = labels
    for name, values in series:
        if name in dashed:
            chart.add(name, values, stroke_style={"width": 3, "dasharray": "10,6"}, show_dots=False)
        else:
            chart.add(name, values, stroke_style={"width": 3})
    return _finish(chart, alt)


def horizontal_bar_chart(
    *, labels: list[str], series: list[tuple[str, list]], alt: str, y_title: str = ""
) -> Chart:
    """Horizontal bars (long labels such as survey questions)."""
    chart = pygal.HorizontalBar(**_config(y_title=y_title, range=(0, 100)))
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    return _finish(chart, alt)
