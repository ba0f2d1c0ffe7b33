"""The plan version as HTML: each data section rendered once, and the document for WeasyPrint."""

from __future__ import annotations

import hashlib
import marshal
import re
import secrets

from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe

from apps.core.memo import ProcessMemo

from . import selectors
from .models import PlanVersion
from .selectors import PlanDocument

# Rendered data sections under everything their HTML depends on (``_cache_key``: the förbund, the
# version, the template and a digest of the data), so changed data is a new key and an entry is
# never stale. At most 20 million characters (20 to 40 MB) per process: the data sections of
# some 50 plans of the largest förbund, web page and PDF.
rendered_sections: ProcessMemo[str] = ProcessMemo(20_000_000, sizeof=len)


@receiver(file_changed, dispatch_uid="plans_rendered_sections_template_changed")
def _template_changed(sender, file_path, **kwargs):
    """runserver: an edited template reloads without a restart, so forget what it rendered."""
    if file_path.suffix == ".html":
        rendered_sections.clear()


# The last marshal format whose bytes depend on the value alone (see _data_digest).
_MARSHAL_VERSION = 2


def _data_digest(data) -> str | None:
    """A digest that changes whenever the data changes, or None when the data is not plain data.

    ``marshal`` writes only Python's own value types (dicts, lists, strings, numbers, None), tells
    apart what JSON would merge (a tuple and a list, 1 and "1" as keys, 1 and 1.0) and keeps the
    order of keys, which the templates follow; it refuses anything whose rendering could depend
    on more than its value (a model instance, a lazy string, a Decimal), which is then rendered
    every time. Its format may change between Python versions, which is harmless here: the store
    lives only as long as the process.

    Format version 2, not the default: from version 3 on, marshal writes a string, list or dict
    that something else also references (its reference count, not its value) as a back-reference
    on its second occurrence, and an interned string with another type code, so equal data read
    afresh and read from a cache (or after other requests warmed Django's translation and
    template caches) gave different digests and the same section was rendered and kept twice.
    Version 2 writes every value in full by its value alone.
    """
    try:
        payload = marshal.dumps(data, _MARSHAL_VERSION)
    except ValueError:
        return None
    return hashlib.blake2b(payload, digest_size=20).hexdigest()


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


# A placeholder no content can hold: narrative HTML has its comments stripped (apps.plans.markdown),
# everything else on the page is escaped, and the token is new in every process.
_SLOT_TOKEN = secrets.token_hex(8)
_SLOT = re.compile(rb"<!--plan-data-" + _SLOT_TOKEN.encode() + rb"-(\d+)-->")


def data_section_slots(document: PlanDocument, *, interactive: bool) -> list[bytes]:
    """Render the data sections, then leave a placeholder in each ``item.html``: the web page.

    A data section's HTML (a budget of hundreds of rows) is most of a large plan's page; passed
    through the page's templates it would be copied at every level of nesting. The page is
    rendered around the placeholders and :func:`fill_slots` puts the sections in, once.
    Returns each distinct section's HTML, as bytes, by placeholder number.
    """
    render_data_sections(document, interactive=interactive)
    parts: list[bytes] = []
    numbers: dict[int, SafeString] = {}
    for item in document.all_sections:
        if not item.is_data:
            continue
        if id(item.html) not in numbers:
            # Our own token and a number: nothing from a user.
            numbers[id(item.html)] = mark_safe(f"<!--plan-data-{_SLOT_TOKEN}-{len(parts)}-->")  # noqa: S308
            parts.append(item.html.encode())
        item.html = numbers[id(item.html)]
    return parts


def fill_slots(response: HttpResponse, parts: list[bytes]) -> HttpResponse:
    """Put the data sections of :func:`data_section_slots` into the rendered page."""
    response.content = _SLOT.sub(lambda match: parts[int(match.group(1))], response.content)
    return response


def render_version_html(*, version: PlanVersion) -> str:
    """The whole version as HTML with print CSS: plans/print.html wrapping plans/document.html."""
    document = selectors.version_document(version=version, with_comments=False)  # the PDF shows none
    render_data_sections(document, interactive=False)
    return render_to_string("plans/print.html", {"document": document, "interactive": False})
