"""Document pages: ask for a plan version's PDF, watch its progress (htmx polling), download it."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from apps.plans import selectors as plan_selectors
from apps.plans.models import PlanVersion
from apps.tenancy.access import get_tenant_object, require_ability

from . import pdf, selectors, services
from .models import DocumentStatus


def _visible(request, version: PlanVersion) -> None:
    """Drafts are invisible (404) to readers without plan_draft_view: the revisor."""
    if not version.is_frozen and not request.abilities.get("plan_draft_view", False):
        raise Http404


def _get_version(request, version_id) -> PlanVersion:
    version = get_tenant_object(
        request,
        plan_selectors.version_queryset(forbund=request.forbund),
        public_id=version_id,
        ability="plan_view",
    )
    _visible(request, version)
    return version


def _panel(request, version: PlanVersion, *, document=None, status: int = 200):
    # Only the document of what the version is now (content and state) is offered as its PDF;
    # documents of earlier contents or states are history, labelled with the state they show.
    if document is None:
        data_version = pdf.version_content_key(version=version)
        document = selectors.current_document(version=version, data_version=data_version)
    else:
        data_version = document.data_version
    context = {
        "version": version,
        "document": document,
        "history": selectors.document_history(version=version, data_version=data_version),
    }
    template = "reports/_panel.html" if request.htmx else "reports/document_page.html"
    return render(request, template, context, status=status)


@require_ability("plan_view")
@require_http_methods(["GET"])
def document_panel(request, forbund_slug, version_id):
    # Polled by htmx every 2 s while the job runs; a full page without JavaScript.
    return _panel(request, _get_version(request, version_id))


@require_ability("plan_view")
@require_http_methods(["POST"])
def document_create(request, forbund_slug, version_id):
    # Every reader of the version may ask for its PDF (the revisor of an adopted one too).
    version = _get_version(request, version_id)
    document = services.document_request(forbund=request.forbund, actor=request.user, version=version)
    if request.htmx:
        return _panel(request, version, document=document)
    return redirect("document_panel", forbund_slug, version.public_id)


@require_ability("plan_view")
@require_http_methods(["GET"])
def document_download(request, forbund_slug, document_id):
    document = get_tenant_object(
        request,
        selectors.document_queryset(forbund=request.forbund),
        public_id=document_id,
        ability="plan_view",
    )
    _visible(request, document.plan_version)
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
