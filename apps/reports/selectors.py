"""Reads of generated documents."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.plans.models import PlanVersion
from apps.tenancy.models import Forbund

from .models import GeneratedDocument


def document_queryset(*, forbund: Forbund) -> QuerySet[GeneratedDocument]:
    """Documents with their version and plan, for looking one up by public id."""
    return GeneratedDocument.objects.filter(forbund=forbund).select_related("plan_version__plan")


def latest_document(*, version: PlanVersion) -> GeneratedDocument | None:
    """The newest document of a version (any content), with who asked for it; one query."""
    return (
        GeneratedDocument.objects.filter(forbund_id=version.forbund_id, plan_version=version)
        .select_related("requested_by", "plan_version__plan")
        .order_by("-requested_at", "-id")
        .first()
    )
