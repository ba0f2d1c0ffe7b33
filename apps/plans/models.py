"""The verksamhetsplan as a document: one plan per year, versions, ordered sections, comments.

Lifecycle of a version: utkast -> på remiss -> fastställd. A fastställd version is frozen: its
narrative HTML is stored, and every data section's content is kept in ``frozen_data`` so later
edits to insatser, goals or budget never change it. A revision is a new version (number + 1)
copied from a fastställd one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from apps.core.years import year_validators
from apps.tenancy.models import TenantModel, audited


class VersionStatus(models.TextChoices):
    UTKAST = "utkast", "Utkast"
    PA_REMISS = "pa_remiss", "På remiss"
    FASTSTALLD = "faststalld", "Fastställd"


class SectionKind(models.TextChoices):
    NARRATIVE = "narrative", "Text"
    DATA = "data", "Uppgifter ur systemet"


class SignatureMode(models.TextChoices):
    LEDAMOTER = "ledamoter", "Alla ordinarie ledamöter"
    JUSTERARE = "justerare", "Ordföranden och en eller två justerare"
    ELEKTRONISK = "elektronisk", "En rad om att planen är signerad elektroniskt"


class CommentStatus(models.TextChoices):
    OPEN = "open", "Öppen"
    ANSWERED = "answered", "Besvarad"
    RESOLVED = "resolved", "Åtgärdad"


@audited()
class Plan(TenantModel):
    """The verksamhetsplan of one year; its content lives in versions."""

    year = models.PositiveSmallIntegerField(
        "år",
        validators=[
            *year_validators(),
        ],
    )

    # A plan may cover several years (2018–2020) and be updated each year: ``year`` is the
    # update's year, whose goals and budget the plan shows.
    period_start = models.PositiveSmallIntegerField(
        "planperiod från",
        null=True,
        blank=True,
        validators=[
            *year_validators(),
        ],
    )
    period_end = models.PositiveSmallIntegerField(
        "planperiod till",
        null=True,
        blank=True,
        validators=[
            *year_validators(),
        ],
    )

    class Meta:
        verbose_name = "verksamhetsplan"
        verbose_name_plural = "verksamhetsplaner"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "year"],
                name="plan_unique_year",
                violation_error_message="Det finns redan en verksamhetsplan för det året.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_multi_year(self) -> bool:
        """True when the plan states a period of more than one year."""
        return bool(self.period_start and self.period_end and self.period_end > self.period_start)

    @property
    def period_label(self) -> str:
        """The years the plan covers: "2018–2020", or the single year."""
        if self.is_multi_year:
            return f"{self.period_start}–{self.period_end}"
        return str(self.year)

    @property
    def title(self) -> str:
        """As on the cover: "Verksamhetsplan 2024" or "Verksamhetsplan 2018–2020, uppdatering 2020"."""
        if not self.is_multi_year:
            return f"Verksamhetsplan {self.year}"
        if self.year == self.period_start:
            return f"Verksamhetsplan {self.period_label}"
        return f"Verksamhetsplan {self.period_label}, uppdatering {self.year}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        start, end = self.period_start, self.period_end
        if (start is None) != (end is None):
            field = "period_end" if end is None else "period_start"
            raise ValidationError(
                {field: "Ange både första och sista året i planperioden, eller inget av dem."}
            )
        if start is not None and end is not None:
            if end < start:
                raise ValidationError({"period_end": "Planperioden kan inte sluta innan den börjar."})
            if self.year is not None and not start <= self.year <= end:
                raise ValidationError(
                    {"period_start": f"Planens år {self.year} måste ligga inom planperioden {start}–{end}."}
                )


@audited()
class PlanVersion(TenantModel):
    """One version of a plan; fastställd versions are frozen with their data."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions", verbose_name="plan")
    number = models.PositiveSmallIntegerField("version", validators=[MinValueValidator(1)])
    status = models.CharField(
        "status", max_length=12, choices=VersionStatus.choices, default=VersionStatus.UTKAST
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name="reviderad från",
    )
    adopted_on = models.DateField("fastställd den", null=True, blank=True)
    decision_paragraph = models.CharField(
        "paragraf i protokollet", max_length=50, blank=True, help_text="Till exempel § 45."
    )
    adopted_by = models.CharField("fastställd av", max_length=100, blank=True)
    signature_mode = models.CharField(
        "underskrifter", max_length=12, choices=SignatureMode.choices, default=SignatureMode.LEDAMOTER
    )
    justerare_1 = models.CharField("justerare", max_length=200, blank=True)
    justerare_2 = models.CharField("andra justerare", max_length=200, blank=True)
    frozen_at = models.DateTimeField("låst", null=True, blank=True)
    frozen_data = models.JSONField("låsta uppgifter", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "planversion"
        verbose_name_plural = "planversioner"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "plan", "number"],
                name="planversion_unique_number",
                violation_error_message="Planen har redan en version med det numret.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} version {self.number}"

    @property
    def is_frozen(self) -> bool:
        """True for a fastställd version: nothing in it may change."""
        return self.status == VersionStatus.FASTSTALLD

    @property
    def justerare(self) -> list[str]:
        """The named justerare, in order (none, one or two)."""
        return [name.strip() for name in (self.justerare_1, self.justerare_2) if name.strip()]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.signature_mode == SignatureMode.JUSTERARE and not self.justerare:
            raise ValidationError({"justerare_1": "Ange minst en justerare."})


@audited()
class PlanSection(TenantModel):
    """A numbered section of a version: narrative Markdown, or a data section from the registry."""

    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="sections", verbose_name="version"
    )
    # The same key across versions (copied on revision), so versions can be compared.
    section_key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField("ordning", default=0)
    kind = models.CharField("typ", max_length=10, choices=SectionKind.choices, default=SectionKind.NARRATIVE)
    data_key = models.CharField("uppgifter", max_length=50, blank=True)
    title = models.CharField("rubrik", max_length=200)
    is_appendix = models.BooleanField(
        "bilaga", default=False, help_text="Bilagor kommer efter underskrifterna, numrerade Bilaga 1, 2 …"
    )
    body_markdown = models.TextField("text", blank=True)
    body_html = models.TextField("text (HTML)", blank=True, editable=False)

    class Meta:
        verbose_name = "avsnitt"
        verbose_name_plural = "avsnitt"
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "version", "section_key"], name="plansection_unique_key"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == SectionKind.DATA and not self.data_key:
            raise ValidationError({"data_key": "Ange vilka uppgifter avsnittet ska visa."})
        if self.kind == SectionKind.NARRATIVE and self.data_key:
            raise ValidationError({"data_key": "Ett textavsnitt visar inga uppgifter ur systemet."})


@audited()
class SectionComment(TenantModel):
    """A remiss comment on a section, answered or resolved by the kansli."""

    section = models.ForeignKey(
        PlanSection, on_delete=models.CASCADE, related_name="comments", verbose_name="avsnitt"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="av"
    )
    text = models.TextField("synpunkt")
    status = models.CharField(
        "status", max_length=10, choices=CommentStatus.choices, default=CommentStatus.OPEN
    )
    answer = models.TextField("svar", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="besvarad av",
    )

    class Meta:
        verbose_name = "synpunkt"
        verbose_name_plural = "synpunkter"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
