"""Celery application: thin tasks, late acks, no task lost when a worker dies."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samordning.settings.development")

app = Celery("samordning")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _preload_pdf(**kwargs) -> None:
    """Each worker process loads WeasyPrint when it starts, not on its first PDF (web processes
    never load it)."""
    from apps.reports.pdf import preload

    preload()
