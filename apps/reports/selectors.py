"""Reads of generated documents."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.plans.models import PlanVersion
from apps.tenancy.models import Forbund

from .models import DocumentStatus, GeneratedDocument


def document_queryset(*, forbund: Forbund) -> QuerySet[GeneratedDocument]:
    """Documents with their version and plan, for looking one up by public id."""
    return GeneratedDocument.objects.filter(forbund=forbund).select_related("plan_version__plan")


def current_document(*, version: PlanVersion, data_version: str) -> GeneratedDocument | None:
    """The document of the version's current content and state (``data_version``), or None."""
    return (
        GeneratedDocument.objects.filter(
            forbund_id=version.forbund_id, plan_version=version, data_version=data_version
        )
        .select_related("requested_by", "plan_version__plan")
        .first()
    )


HISTORY_LIMIT = 20


def document_history(*, version: PlanVersion, data_version: str) -> list[GeneratedDocument]:
    """The newest finished documents of the version's earlier contents or states; one query."""
    return list(
        GeneratedDocument.objects.filter(
            forbund_id=version.forbund_id, plan_version=version, status=DocumentStatus.DONE
        )
        .exclude(data_version=data_version)
        .select_related("requested_by", "plan_version__plan")
        .order_by("-requested_at", "-id")[:HISTORY_LIMIT]
    )
