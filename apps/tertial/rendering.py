"""The report version as one standalone HTML document (print.html wraps the page's document.html)."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.template.loader import render_to_string

from apps.core.charts import Chart
from apps.core.memo import ProcessMemo

from . import content, participants
from .models import ReportVersion

# Drawn charts by förbund and the exact figures they were drawn from. pygal takes about 12 ms for
# the report's two charts at national scale, on every view of a report whose figures rarely change
# (never once it is sent). The key is the figures themselves, so new figures are a new key and a
# stale chart cannot be shown; the förbund is part of it so that no chart is shared across förbund.
_CHARTS: ProcessMemo[Chart] = ProcessMemo(64)


def _memo_chart(forbund_id: int, name: str, figures, draw: Callable[[], Chart | None]) -> Chart | None:
    return _CHARTS.get_or_make((forbund_id, name, json.dumps(figures, sort_keys=True, default=str)), draw)


# Rendered sections of sent versions, by förbund, version, the moment it was frozen, section and
# whether it is the web page or the PDF. A sent version's content never changes (``frozen_data``
# and ``frozen_at`` are written together once, when it is sent), so its goals, insatser, economy
# and participants sections render the same for every reader who may open it; at national scale
# they were most of the page's time (thousands of template variables). At most 16 million
# characters per process.
_FRAGMENTS: ProcessMemo[str] = ProcessMemo(16_000_000, sizeof=len)


def frozen_fragment_key(version, name: str, interactive: bool) -> tuple | None:
    """The cache key of a section of a sent version; None for a draft (its figures are live)."""
    if version is None or not getattr(version, "is_frozen", False) or version.frozen_at is None:
        return None
    if version.frozen_data is None:
        return None
    return (version.forbund_id, version.pk, version.frozen_at.isoformat(), name, bool(interactive))


def frozen_fragment(key: tuple, render: Callable[[], str]) -> str:
    """The section rendered once per key (``frozen_fragment_key``), then read from memory."""
    text = _FRAGMENTS.get_or_make(key, render)
    return text if text is not None else render()


def document_context(*, version: ReportVersion) -> dict:
    """What document.html needs besides the page's own tools: the content, its counts and chart."""
    data = content.shown_content(version=version)
    economy = data["economy"]
    months = (data["participants"] or {}).get("months")
    return {
        "report": version.report,
        "version": version,
        "data": data,
        "counts": content.status_counts(data["goals"]),
        "chart": _memo_chart(
            version.forbund_id,
            "economy",
            [economy["tertials"], data["tertial"]],
            lambda: content.economy_chart(economy, tertial=data["tertial"]),
        )
        if economy
        else None,
        "participants_chart": _memo_chart(
            version.forbund_id,
            "participants",
            [months, data["year"]],
            lambda: participants.month_chart(months, data["year"]),
        ),
    }


def render_version_html(*, version: ReportVersion) -> str:
    """The whole version as print HTML (call inside the version's tenant scope)."""
    return render_to_string("tertial/print.html", {**document_context(version=version), "interactive": False})
