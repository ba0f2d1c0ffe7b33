"""Writes of import jobs: keep the upload, preview it (dry run), and import it for real."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.core.services import check_same_forbund
from apps.core.tabular import TabularError, read_table
from apps.tenancy.audit import audited_by
from apps.tenancy.models import Forbund

from .base import ImportResult
from .files import MAX_UPLOAD_BYTES
from .models import ImportJob, ImportStatus
from .registry import DATASETS


def import_job_create(*, forbund: Forbund, actor, dataset: str, filename: str, content: bytes) -> ImportJob:
    """Keep an uploaded file for preview; refuse a too large, empty or unreadable file."""
    if dataset not in DATASETS:
        raise ValidationError({"dataset": "Välj vad som ska importeras."})
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": "Filen är för stor. Den får vara högst 5 MB."})
    if not content:
        raise ValidationError({"file": "Filen är tom."})
    try:
        file_format = read_table(content, filename=filename).format
    except TabularError as exc:
        raise ValidationError({"file": exc.message}) from exc
    with transaction.atomic(), audited_by(actor):
        job = ImportJob(
            forbund=forbund,
            dataset=dataset,
            file_format=file_format,
            filename=filename[:255],
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            created_by=actor,
        )
        job.full_clean()
        job.save()
    return job


def _run(job: ImportJob, *, forbund: Forbund, actor, dry_run: bool) -> ImportResult:
    content = bytes(job.content)
    if hashlib.sha256(content).hexdigest() != job.sha256:
        return ImportResult(file_errors=["Den uppladdade filen har ändrats. Ladda upp den igen."])
    try:
        table = read_table(content, file_format=job.file_format)
    except TabularError as exc:
        return ImportResult(file_errors=[exc.message])
    resource = DATASETS[job.dataset].resource(forbund=forbund, actor=actor)
    return resource.import_dataset(table, dry_run=dry_run)


def import_job_preview(*, forbund: Forbund, actor, import_job: ImportJob) -> ImportResult:
    """Run the import as a dry run: every row validated and written, then rolled back."""
    check_same_forbund(forbund, import_job=import_job)
    with transaction.atomic():
        return _run(import_job, forbund=forbund, actor=actor, dry_run=True)


def import_job_confirm(*, forbund: Forbund, actor, import_job: ImportJob) -> ImportResult:
    """Import the file for real: all rows in one transaction, or nothing if any row fails."""
    check_same_forbund(forbund, import_job=import_job)
    job = import_job
    if job.status != ImportStatus.PREVIEW:
        return ImportResult(
            file_errors=["Den här filen är redan importerad. Ladda upp den igen för en ny import."]
        )
    with audited_by(actor):
        result = _run(job, forbund=forbund, actor=actor, dry_run=False)
    with transaction.atomic(), audited_by(actor):
        if result.has_errors:
            job.status = ImportStatus.FAILED
        else:
            job.status = ImportStatus.DONE
            job.finished_at = timezone.now()
            job.content = b""
        job.save(update_fields=["status", "finished_at", "content", "updated_at"])
    return result
