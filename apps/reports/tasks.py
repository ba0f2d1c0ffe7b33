"""Celery tasks: ids in, the förbund's scope opened, the service does the work."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope

from . import services

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=120,
    time_limit=180,
    ignore_result=True,
)
def render_plan_pdf(*, document_id: int, forbund_id: int) -> str:
    """Render one GeneratedDocument; redelivery after a worker death finishes it, done is a no-op."""
    forbund = Forbund.objects.get(pk=forbund_id)
    with tenant_scope(forbund):
        document = services.document_start(document_id=document_id)
    if document is None:
        return "skipped"
    try:
        with tenant_scope(forbund):
            services.document_render(document=document)
    except SoftTimeLimitExceeded:
        logger.warning("PDF %s: soft time limit", document_id)
        with tenant_scope(forbund):
            services.document_fail(document_id=document_id, message=services.TIMEOUT_MESSAGE)
        return "failed"
    except Exception:
        logger.exception("PDF %s failed", document_id)
        with tenant_scope(forbund):
            services.document_fail(document_id=document_id)
        return "failed"
    return "done"
