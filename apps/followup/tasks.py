"""Celery tasks of the follow-up: thin, ids in, scope opened here."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope

from .retention import retention_run


@shared_task(
    acks_late=True, reject_on_worker_lost=True, soft_time_limit=240, time_limit=300, ignore_result=True
)
def delete_expired_participants(forbund_id: int | None = None) -> dict:
    """Daily: per förbund, delete participants past their retention time (idempotent)."""
    today = timezone.localdate()
    done = {}
    forbund_ids = [forbund_id] if forbund_id else list(Forbund.objects.values_list("pk", flat=True))
    for pk in forbund_ids:
        forbund = Forbund.objects.get(pk=pk)
        with tenant_scope(forbund):
            done[forbund.slug] = retention_run(forbund=forbund, today=today)
    return done
