"""Celery tasks: the beat task that drafts each tertial's report when the tertial has ended."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope

from . import notify, selectors, services

logger = logging.getLogger(__name__)


def ended_tertial(day: datetime.date) -> tuple[int, int]:
    """The (year, tertial) that ended most recently before ``day``: on 1 May, T1 of the same year."""
    if day.month >= 9:
        return day.year, 2
    if day.month >= 5:
        return day.year, 1
    return day.year - 1, 3


@shared_task(
    acks_late=True, reject_on_worker_lost=True, soft_time_limit=240, time_limit=300, ignore_result=True
)
def create_tertial_drafts(*, today: str | None = None) -> int:
    """Draft the ended tertial's report for every active förbund with an adopted plan for its year.

    Idempotent: a förbund that has the report already (drafted by hand, or by an earlier run)
    is left alone, so beat may run this on several days after a tertial to survive downtime.
    E-mails the förbundschef and kansli of each new draft after its transaction has committed.
    """
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    year, tertial = ended_tertial(day)
    created = 0
    for forbund in Forbund.objects.filter(is_active=True).order_by("pk"):
        with tenant_scope(forbund):
            if not selectors.has_adopted_plan(forbund=forbund, year=year):
                continue
            report, new = services.report_ensure_draft(forbund=forbund, year=year, tertial=tertial, today=day)
        if new:
            created += 1
            with tenant_scope(forbund):
                notify.draft_created(report=report)
            logger.info("Tertial report %s %s drafted for %s", report.name, year, forbund.slug)
    return created
