"""Celery tasks of the tenancy layer: thin, each förbund's scope opened where its work is done."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache

from . import datacache
from .models import Forbund

log = logging.getLogger(__name__)
# One run at a time: a run that outlasts the beat interval makes the next one skip.
LOCK_KEY = "data-warm-lock"
LOCK_SECONDS = 300


@shared_task(acks_late=False, soft_time_limit=240, time_limit=300, ignore_result=True)
def warm_changed_caches() -> dict[str, list[str]]:
    """Every minute: for each active förbund whose data changed since it was last warmed, compute
    what its pages read most (``datacache.warm_if_changed``), so the first reader after a write
    does not wait for it. Returns the warmers run, by förbund slug."""
    try:
        if not cache.add(LOCK_KEY, 1, LOCK_SECONDS):
            return {}
    except Exception:  # noqa: BLE001 (no cache: nothing to warm)
        log.warning("Cachen kunde inte nås; ingen uppvärmning", exc_info=True)
        return {}
    done: dict[str, list[str]] = {}
    try:
        for forbund in Forbund.objects.filter(is_active=True).order_by("pk"):
            warmed = datacache.warm_if_changed(forbund)
            if warmed is not None:
                done[forbund.slug] = warmed
    finally:
        cache.delete(LOCK_KEY)
    return done
