"""Writes of generated documents: request (idempotent), start, render, fail. Audited."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.tenancy.audit import audited_by
from apps.tenancy.models import Forbund

from . import kinds, pdf
from .models import DocumentKind, DocumentStatus, GeneratedDocument

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
FAILED_MESSAGE = "PDF:en kunde inte skapas. Försök igen; om felet kvarstår, kontakta support."
TIMEOUT_MESSAGE = "Det tog för lång tid att skapa PDF:en. Försök igen."
GAVE_UP_MESSAGE = f"PDF:en kunde inte skapas efter {MAX_ATTEMPTS} försök. Försök igen."


def _enqueue(document: GeneratedDocument) -> None:
    from .tasks import render_plan_pdf

    render_plan_pdf.delay_on_commit(document_id=document.pk, forbund_id=document.forbund_id)


def document_request(
    *, forbund: Forbund, actor, version, kind: str = DocumentKind.VERKSAMHETSPLAN
) -> GeneratedDocument:
    """The PDF of the version's current content and state: the stored one, else a new job.

    ``version`` is the subject of ``kind`` (a plan version by default, or a tertial report
    version). A failed one is retried.
    """
    spec = kinds.get(kind)
    data_version = pdf.content_key(version=version, html=spec.html(version))
    key = {
        "forbund": forbund,
        spec.field: version,
        "kind": kind,
        "data_version": data_version,
    }
    with transaction.atomic(), audited_by(actor):
        document = GeneratedDocument.objects.select_for_update().filter(**key).first()
        if document is None:
            try:
                with transaction.atomic():
                    document = GeneratedDocument(
                        **key,
                        version_status=spec.state(version),
                        requested_by=actor,
                        requested_at=timezone.now(),
                    )
                    document.full_clean()
                    document.save()
            except IntegrityError:
                # A concurrent request created it first: that one is the document.
                return GeneratedDocument.objects.get(**key)
            _enqueue(document)
        elif document.status == DocumentStatus.FAILED:
            document.status = DocumentStatus.PENDING
            document.error = ""
            document.attempts = 0
            document.requested_by = actor
            document.requested_at = timezone.now()
            document.save()
            _enqueue(document)
    return document


def document_start(*, document_id: int) -> GeneratedDocument | None:
    """Mark the document running and count the attempt; None when it is done already."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == DocumentStatus.DONE:
            return None
        if document.attempts >= MAX_ATTEMPTS:
            # Redelivered again and again (a worker dying on this job): stop, let the user retry.
            document.status = DocumentStatus.FAILED
            document.error = GAVE_UP_MESSAGE
            document.save(update_fields=["status", "error", "updated_at"])
            return None
        document.status = DocumentStatus.RUNNING
        document.attempts += 1
        document.save(update_fields=["status", "attempts", "updated_at"])
    return document


def document_render(*, document: GeneratedDocument) -> GeneratedDocument:
    """Render the version (of any kind) to PDF; store size, SHA-256 and page count (done stays done)."""
    with transaction.atomic():
        document = (
            GeneratedDocument.objects.select_for_update(of=("self",))
            .select_related("plan_version__plan", "report_version__report")
            .get(pk=document.pk)
        )
        if document.status == DocumentStatus.DONE:
            return document
        rendered = kinds.get(document.kind).render(document.subject)
        # A redelivered job may find its own half-written file: replace it, same name.
        name = document.file.field.generate_filename(document, "plan.pdf")
        if document.file.storage.exists(name):
            document.file.storage.delete(name)
        document.file.save(name, ContentFile(rendered.content), save=False)
        document.size = len(rendered.content)
        document.sha256 = rendered.sha256
        document.pages = rendered.pages
        document.status = DocumentStatus.DONE
        document.error = ""
        document.finished_at = timezone.now()
        document.full_clean()
        document.save()
    return document


def document_fail(*, document_id: int, message: str = FAILED_MESSAGE) -> None:
    """Mark the document failed with a Swedish message; it may be requested again."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == DocumentStatus.DONE:
            return
        document.status = DocumentStatus.FAILED
        document.error = message
        document.finished_at = timezone.now()
        document.save(update_fields=["status", "error", "finished_at", "updated_at"])
