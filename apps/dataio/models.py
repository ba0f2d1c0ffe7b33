"""Uploaded import files kept between the preview and the confirmation."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from apps.tenancy.models import TenantModel, audited

from . import registry


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

    # A key of apps.dataio.registry, validated in clean(): the apps register their datasets.
    dataset = models.CharField("dataset", max_length=registry.KEY_MAX_LENGTH)
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
        return f"{self.dataset_label}: {self.filename}"

    @property
    def dataset_label(self) -> str:
        """The dataset's Swedish name (its key when no app registers it any longer)."""
        spec = registry.get(self.dataset)
        return spec.label if spec else self.dataset

    def clean(self) -> None:
        super().clean()
        if registry.get(self.dataset) is None:
            raise ValidationError({"dataset": "Okänd datamängd."})
