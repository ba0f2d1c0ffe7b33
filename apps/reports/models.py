"""Generated documents: the PDF of a plan version or a tertial report version, made by a Celery
task and stored on disk. Each kind (``kinds.py``) says which foreign key holds its subject.

The file lives under MEDIA_ROOT/documents/<forbund_id>/<public_id>.pdf. ``data_version`` is the
SHA-256 of the version's state and rendered HTML: two requests for the same content in the same
state are one document, and ``version_status`` records the state the document shows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.tenancy.models import TenantModel, audited


class DocumentKind(models.TextChoices):
    VERKSAMHETSPLAN = "verksamhetsplan", "Verksamhetsplan"
    TERTIALRAPPORT = "tertialrapport", "Tertialrapport"


class SubjectState(models.TextChoices):
    """The states of the versions documents are made of (plans and tertial reports)."""

    UTKAST = "utkast", "Utkast"
    PA_REMISS = "pa_remiss", "På remiss"
    FASTSTALLD = "faststalld", "Fastställd"
    SKICKAD = "skickad", "Skickad till styrelsen"
    GODKAND = "godkand", "Godkänd"
    ATERREMITTERAD = "aterremitterad", "Återremitterad"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", "Väntar"
    RUNNING = "running", "Skapas"
    DONE = "done", "Klar"
    FAILED = "failed", "Misslyckades"


def document_upload_to(instance: GeneratedDocument, filename: str) -> str:
    """documents/<forbund_id>/<public_id>.pdf: no user input in the path."""
    return f"documents/{instance.forbund_id}/{instance.public_id}.pdf"


@audited()
class GeneratedDocument(TenantModel):
    """One PDF of one version's content (a plan or a tertial report); status says how far the task is."""

    plan_version = models.ForeignKey(
        "plans.PlanVersion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="planversion",
    )
    report_version = models.ForeignKey(
        "tertial.ReportVersion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="version av tertialrapport",
    )
    kind = models.CharField(
        "typ", max_length=20, choices=DocumentKind.choices, default=DocumentKind.VERKSAMHETSPLAN
    )
    data_version = models.CharField("innehållets kontrollsumma", max_length=64)
    # The version's state when the document was made: what its cover says. Blank for
    # documents made before the state was recorded.
    version_status = models.CharField(
        "versionens status", max_length=16, choices=SubjectState.choices, blank=True
    )
    status = models.CharField(
        "status", max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    error = models.TextField("felmeddelande", blank=True)
    file = models.FileField("fil", upload_to=document_upload_to, blank=True, max_length=200)
    size = models.PositiveBigIntegerField("storlek (byte)", null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    pages = models.PositiveIntegerField("sidor", null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="beställd av",
    )
    requested_at = models.DateTimeField("beställd")
    finished_at = models.DateTimeField("klar", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("försök", default=0)

    class Meta:
        verbose_name = "dokument"
        verbose_name_plural = "dokument"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "plan_version", "kind", "data_version"],
                name="generateddocument_unique_content",
            ),
            models.UniqueConstraint(
                fields=["forbund", "report_version", "kind", "data_version"],
                name="generateddocument_unique_report_content",
            ),
            # Exactly one subject: a plan version or a tertial report version.
            models.CheckConstraint(
                condition=models.Q(plan_version__isnull=False, report_version__isnull=True)
                | models.Q(plan_version__isnull=True, report_version__isnull=False),
                name="generateddocument_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.subject_id}, {self.data_version[:12]})"

    @property
    def subject_id(self) -> int | None:
        """The id of the version the document prints."""
        return self.plan_version_id or self.report_version_id

    @property
    def subject(self):
        """The version the document prints (a PlanVersion or a tertial ReportVersion)."""
        from . import kinds

        return getattr(self, kinds.get(self.kind).field)

    @property
    def is_busy(self) -> bool:
        """True while the task has yet to finish (the panel keeps polling)."""
        return self.status in (DocumentStatus.PENDING, DocumentStatus.RUNNING)

    @property
    def filename(self) -> str:
        """The name offered on download (the kind names it)."""
        from . import kinds

        return kinds.get(self.kind).filename(self.subject)
