"""Celery application: thin tasks, late acks, no task lost when a worker dies."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samordning.settings.development")

app = Celery("samordning")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
