"""Reads of generated documents."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.tenancy.models import Forbund

from . import kinds
from .models import DocumentKind, DocumentStatus, GeneratedDocument


def document_queryset(*, forbund: Forbund) -> QuerySet[GeneratedDocument]:
    """Documents with their version and plan, for looking one up by public id."""
    return GeneratedDocument.objects.filter(forbund=forbund).select_related(
        "plan_version__plan", "report_version__report"
    )


def current_document(
    *, version, data_version: str, kind: str = DocumentKind.VERKSAMHETSPLAN
) -> GeneratedDocument | None:
    """The document of the version's current content and state (``data_version``), or None."""
    subject = {kinds.get(kind).field: version}
    return (
        GeneratedDocument.objects.filter(
            forbund_id=version.forbund_id, kind=kind, data_version=data_version, **subject
        )
        .select_related("requested_by", "plan_version__plan", "report_version__report")
        .first()
    )


HISTORY_LIMIT = 20


def document_history(
    *, version, data_version: str, kind: str = DocumentKind.VERKSAMHETSPLAN
) -> list[GeneratedDocument]:
    """The newest finished documents of the version's earlier contents or states; one query."""
    subject = {kinds.get(kind).field: version}
    return list(
        GeneratedDocument.objects.filter(
            forbund_id=version.forbund_id, kind=kind, status=DocumentStatus.DONE, **subject
        )
        .exclude(data_version=data_version)
        .select_related("requested_by", "plan_version__plan", "report_version__report")
        .order_by("-requested_at", "-id")[:HISTORY_LIMIT]
    )
