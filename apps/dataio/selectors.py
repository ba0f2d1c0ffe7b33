"""Reads of import jobs and export datasets."""

from __future__ import annotations

import tablib
from django.db.models import QuerySet

from apps.tenancy.models import Forbund

from .models import ImportJob
from .registry import DATASETS


def import_job_queryset(*, forbund: Forbund) -> QuerySet[ImportJob]:
    """The förbund's import jobs, for looking one up by public id."""
    return ImportJob.objects.filter(forbund=forbund).select_related("created_by")


def export_dataset(*, forbund: Forbund, dataset: str, actor=None) -> tablib.Dataset:
    """One dataset of the förbund's own rows with Swedish headers (those ``actor`` may see)."""
    return DATASETS[dataset].resource(forbund=forbund, actor=actor).export_dataset()
