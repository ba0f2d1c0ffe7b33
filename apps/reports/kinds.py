"""The kinds of generated document: what each prints, how it is keyed, named and who may read it.

The machinery (GeneratedDocument, the request service, the Celery task, the panel and the
download) is one for every kind; a kind says where its subject lives and how to render it.
The verksamhetsplan registers here; apps.tertial registers the tertial report from its
``AppConfig.ready``, so this app never imports the domains it prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DocumentKindSpec:
    """One kind of document.

    ``field``: the GeneratedDocument foreign key holding the subject (a version).
    ``html(subject)``: the print HTML (called inside the subject's tenant scope).
    ``render(subject)``: the RenderedPdf of the subject.
    ``state(subject)``: the subject's state, part of the content key and shown on old PDFs.
    ``filename(subject)``: the name offered on download.
    ``queryset(forbund)``: subjects a view may look up by public id.
    ``read_ability``: needed to read the subject and its PDFs.
    ``visible(abilities, subject)``: False makes the subject and its PDFs a 404 for this reader.
    ``panel_url`` / ``create_url``: URL names of the panel and of asking for a PDF (args: slug, id).
    ``back_url(subject)``: (URL name, args after the slug) of the subject's own page.
    ``title(subject)``: heading of the panel's full page.
    """

    kind: str
    field: str
    html: Callable[[Any], str]
    render: Callable[[Any], Any]
    state: Callable[[Any], str]
    filename: Callable[[Any], str]
    queryset: Callable[[Any], Any]
    read_ability: str
    visible: Callable[[dict, Any], bool]
    panel_url: str
    create_url: str
    back_url: Callable[[Any], tuple[str, list]]
    title: Callable[[Any], str]


_KINDS: dict[str, DocumentKindSpec] = {}


def register(spec: DocumentKindSpec) -> None:
    """Add (or replace) a document kind."""
    _KINDS[spec.kind] = spec


def get(kind: str) -> DocumentKindSpec:
    """The registered kind (KeyError for an unknown one)."""
    return _KINDS[kind]
