"""Uploaded import files kept between the preview and the confirmation."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.tenancy.models import TenantModel, audited


class DatasetKind(models.TextChoices):
    MEDLEMMAR = "medlemmar", "Medlemmar"
    INSATSER = "insatser", "Insatser med årsrader"
    DELMAL = "delmal", "Delmål"


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX (Excel)"


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", "Förhandsgranskad"
    DONE = "done", "Genomförd"
    FAILED = "failed", "Misslyckades"


# The file's bytes stay out of the audit trail: its sha256 identifies the file there.
@audited(exclude=["content"])
class ImportJob(TenantModel):
    """An uploaded file: previewed (dry run), then imported for real in one transaction.

    The bytes live in the database, under the same row-level security as the rest of the
    förbund's data; they are cleared once the import is done.
    """

    dataset = models.CharField("dataset", max_length=20, choices=DatasetKind.choices)
    file_format = models.CharField("filformat", max_length=10, choices=FileFormat.choices)
    filename = models.CharField("filnamn", max_length=255)
    content = models.BinaryField("innehåll")
    sha256 = models.CharField("kontrollsumma", max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="uppladdad av",
    )
    status = models.CharField(
        "status", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    finished_at = models.DateTimeField("genomförd", null=True, blank=True)

    class Meta:
        verbose_name = "import"
        verbose_name_plural = "importer"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_dataset_display()}: {self.filename}"
