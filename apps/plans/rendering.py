"""The plan version as HTML: each data section rendered once, and the document for WeasyPrint."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict

from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed

from . import selectors
from .models import PlanVersion
from .selectors import PlanDocument


class _RenderedSections:
    """A small least-recently-used store of rendered data sections, bounded by total characters.

    Keyed by what the rendering depends on (see ``_cache_key``), including a digest of the data
    itself: a change to the data gives a new key, so an entry can never be stale, only unused.
    It lives in the process, so a deploy (new template code) starts empty, and it is shared by
    requests of the same förbund only, since the förbund is part of every key.
    """

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self._entries: OrderedDict[tuple, str] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> str | None:
        with self._lock:
            html = self._entries.get(key)
            if html is not None:
                self._entries.move_to_end(key)
            return html

    def put(self, key: tuple, html: str) -> None:
        if len(html) > self.max_chars:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._chars -= len(previous)
            self._entries[key] = html
            self._chars += len(html)
            while self._chars > self.max_chars:
                _, dropped = self._entries.popitem(last=False)
                self._chars -= len(dropped)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._chars = 0


# At most 20 million characters (20 to 40 MB) per process: the data sections of some 50 plans
# of the largest förbund, web page and PDF.
rendered_sections = _RenderedSections(max_chars=20_000_000)


@receiver(file_changed, dispatch_uid="plans_rendered_sections_template_changed")
def _template_changed(sender, file_path, **kwargs):
    """runserver: an edited template reloads without a restart, so forget what it rendered."""
    if file_path.suffix == ".html":
        rendered_sections.clear()


def _data_digest(data) -> str | None:
    """A digest that changes whenever the data changes, or None when the data is not plain JSON.

    The data of a section is JSON by contract (a fastställd version stores exactly that), so
    its JSON text, keys in their given order (the templates follow it), identifies it; anything
    else (a model instance, a lazy string) is rendered every time instead.
    """
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def _cache_key(document: PlanDocument, template_name: str, data, *, interactive: bool) -> tuple | None:
    """Everything a data template's output depends on: its context (data, interactive, version,
    förbund) and the template; None when the data cannot be digested (rendered every time)."""
    digest = _data_digest(data)
    if digest is None:
        return None
    version, forbund = document.version, document.forbund
    return (
        forbund.pk,
        forbund.slug,
        forbund.name,
        version.pk,
        version.number,
        version.status,
        template_name,
        interactive,
        digest,
    )


def render_data_sections(document: PlanDocument, *, interactive: bool) -> None:
    """Render each data section's template into ``item.html``, once per data key.

    A plan may show the same data more than once (a long plan repeats its tables), and a data
    template depends only on its data, so every section with the same key shares one rendering.
    The template receives ``data``, ``interactive`` (the web page, not the PDF), the version and
    the förbund. Renderings are kept in ``rendered_sections`` under a digest of the data, so the
    next request for unchanged data (a fastställd version's frozen data always) reuses them.
    """
    rendered: dict[tuple[str, str], str] = {}
    for item in document.all_sections:
        if not item.is_data:
            continue
        key = (item.section.data_key, item.template_name)
        if key not in rendered:
            rendered[key] = _render_data(document, item.template_name, item.data, interactive=interactive)
        item.html = rendered[key]


def _render_data(document: PlanDocument, template_name: str, data, *, interactive: bool) -> str:
    cache_key = _cache_key(document, template_name, data, interactive=interactive)
    html = rendered_sections.get(cache_key) if cache_key is not None else None
    if html is None:
        html = render_to_string(
            template_name,
            {
                "data": data,
                "interactive": interactive,
                "version": document.version,
                "forbund": document.forbund,
            },
        )
        if cache_key is not None:
            rendered_sections.put(cache_key, html)
    return html


def render_version_html(*, version: PlanVersion) -> str:
    """The whole version as HTML with print CSS: plans/print.html wrapping plans/document.html."""
    document = selectors.version_document(version=version, with_comments=False)  # the PDF shows none
    render_data_sections(document, interactive=False)
    return render_to_string("plans/print.html", {"document": document, "interactive": False})
