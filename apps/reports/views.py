"""Document pages: ask for a version's PDF, watch its progress (htmx polling), download it.

One set of views for every document kind (``kinds.py``): the verksamhetsplan's versions and the
tertial report's. The kind tells where the subject lives, who may read it and which drafts are
a 404 for this reader (the revisor's view of drafts).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.core.views import tenant_view
from apps.tenancy.access import get_tenant_object

from . import kinds, pdf, selectors, services
from .models import DocumentKind, DocumentStatus

# Readers of any kind's subject get past the guard; the kind then checks its own ability.
READERS = ("plan_view", "report_view")


def _check_reader(request, spec: kinds.DocumentKindSpec, subject) -> None:
    """Outsider 404 (done by the lookup), no read ability 403, a draft this reader may not see 404."""
    if not request.abilities.get(spec.read_ability, False):
        raise PermissionDenied
    if not spec.visible(request.abilities, subject):
        raise Http404


def _get_subject(request, spec: kinds.DocumentKindSpec, version_id):
    subject = get_tenant_object(request, spec.queryset(request.forbund), public_id=version_id)
    _check_reader(request, spec, subject)
    return subject


def _panel(request, spec: kinds.DocumentKindSpec, version, *, document=None, status: int = 200):
    # Only the document of what the version is now (content and state) is offered as its PDF;
    # documents of earlier contents or states are history, labelled with the state they show.
    if document is None:
        data_version = pdf.content_key(version=version, html=spec.html(version))
        document = selectors.current_document(version=version, data_version=data_version, kind=spec.kind)
    else:
        data_version = document.data_version
    slug = request.forbund.slug
    back_name, back_args = spec.back_url(version)
    context = {
        "version": version,
        "document": document,
        "history": selectors.document_history(version=version, data_version=data_version, kind=spec.kind),
        "panel_url": reverse(spec.panel_url, args=[slug, version.public_id]),
        "create_url": reverse(spec.create_url, args=[slug, version.public_id]),
        "back_url": reverse(back_name, args=[slug, *back_args]),
        "title": spec.title(version),
    }
    template = "reports/_panel.html" if request.htmx else "reports/document_page.html"
    return render(request, template, context, status=status)


@tenant_view(READERS)
def document_panel(request, forbund_slug, version_id, kind=DocumentKind.VERKSAMHETSPLAN):
    # Polled by htmx every 2 s while the job runs; a full page without JavaScript.
    spec = kinds.get(kind)
    return _panel(request, spec, _get_subject(request, spec, version_id))


@tenant_view(READERS, methods=("POST",))
def document_create(request, forbund_slug, version_id, kind=DocumentKind.VERKSAMHETSPLAN):
    # Every reader of the version may ask for its PDF (the revisor of an adopted one too).
    spec = kinds.get(kind)
    version = _get_subject(request, spec, version_id)
    document = services.document_request(
        forbund=request.forbund, actor=request.user, version=version, kind=kind
    )
    if request.htmx:
        return _panel(request, spec, version, document=document)
    return redirect(spec.panel_url, forbund_slug, version.public_id)


@tenant_view(READERS)
def document_download(request, forbund_slug, document_id):
    document = get_tenant_object(
        request, selectors.document_queryset(forbund=request.forbund), public_id=document_id
    )
    _check_reader(request, kinds.get(document.kind), document.subject)
    if document.status != DocumentStatus.DONE or not document.file:
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type="application/pdf",
    )
    response["X-Content-SHA256"] = document.sha256
    return response
