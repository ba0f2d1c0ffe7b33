"""Tertial reports to the board: one report per förbund, year and tertial, in versions.

Lifecycle of a version: utkast -> skickad (till styrelsen) -> godkänd, or återremitterad,
which starts a new utkast (number + 1). Sending freezes the content: every figure of the
report is stored in ``frozen_data`` (JSON, data not HTML), so a later change to goals,
budget, utfall or participants never changes what the board received.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.tenancy.models import TenantModel, audited

# (number, name, months, last month)
TERTIALS: dict[int, tuple[str, str, int]] = {
    1: ("T1", "januari–april", 4),
    2: ("T2", "maj–augusti", 8),
    3: ("T3", "september–december", 12),
}


class VersionStatus(models.TextChoices):
    UTKAST = "utkast", "Utkast"
    SKICKAD = "skickad", "Skickad till styrelsen"
    GODKAND = "godkand", "Godkänd"
    ATERREMITTERAD = "aterremitterad", "Återremitterad"


# Frozen states: the content was sent to the board and may no longer change.
FROZEN_STATUSES = frozenset({VersionStatus.SKICKAD, VersionStatus.GODKAND, VersionStatus.ATERREMITTERAD})


class GoalStatus(models.TextChoices):
    UPPNATT = "uppnatt", "Uppnått"
    PA_VAG = "pa_vag", "På väg"
    EJ_UPPNATT = "ej_uppnatt", "Ej uppnått"
    KAN_INTE_BEDOMAS = "kan_inte_bedomas", "Kan inte bedömas"


# A shape per status, so status never rests on colour alone (web page and PDF alike).
GOAL_STATUS_SYMBOLS: dict[str, str] = {
    GoalStatus.UPPNATT: "✓",
    GoalStatus.PA_VAG: "◐",
    GoalStatus.EJ_UPPNATT: "✗",
    GoalStatus.KAN_INTE_BEDOMAS: "?",
}


class Section(models.TextChoices):
    """The fixed sections of a report; board comments are made per section."""

    SAMMANFATTNING = "sammanfattning", "Sammanfattning"
    MAL = "mal", "Måluppfyllelse"
    INSATSER = "insatser", "Insatser"
    EKONOMI = "ekonomi", "Ekonomi"
    DELTAGARE = "deltagare", "Deltagare"


class CommentStatus(models.TextChoices):
    OPEN = "open", "Obesvarad"
    ANSWERED = "answered", "Besvarad"


class EventAction(models.TextChoices):
    CREATED = "created", "Skapade utkastet"
    CREATED_AUTO = "created_auto", "Utkastet skapades automatiskt"
    SENT = "sent", "Skickade rapporten till styrelsen"
    COMMENTED = "commented", "Lämnade en synpunkt"
    ANSWERED = "answered", "Besvarade en synpunkt"
    APPROVED = "approved", "Registrerade styrelsens godkännande"
    RETURNED = "returned", "Registrerade återremiss"
    REDRAFTED = "redrafted", "Nytt utkast efter återremiss"


@audited()
class TertialReport(TenantModel):
    """The tertial report of one förbund, year and tertial; its content lives in versions."""

    year = models.PositiveSmallIntegerField(
        "år",
        validators=[
            MinValueValidator(2000, message="Ange ett år från 2000."),
            MaxValueValidator(2100, message="Ange ett år till och med 2100."),
        ],
    )
    tertial = models.PositiveSmallIntegerField(
        "tertial", choices=[(n, f"{name} ({months})") for n, (name, months, _) in TERTIALS.items()]
    )

    class Meta:
        verbose_name = "tertialrapport"
        verbose_name_plural = "tertialrapporter"
        ordering = ["-year", "-tertial"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "year", "tertial"],
                name="tertialreport_unique_period",
                violation_error_message="Det finns redan en tertialrapport för den perioden.",
            )
        ]

    def __str__(self) -> str:
        return f"Tertialrapport {self.name} {self.year}"

    @property
    def name(self) -> str:
        """ "T1", "T2" or "T3"."""
        return TERTIALS[self.tertial][0]

    @property
    def months(self) -> str:
        """The months covered, e.g. "januari–april"."""
        return TERTIALS[self.tertial][1]

    @property
    def until_month(self) -> int:
        """The last month of the tertial (4, 8 or 12)."""
        return TERTIALS[self.tertial][2]


@audited()
class ReportVersion(TenantModel):
    """One version of a report: the summary, and once sent the frozen content."""

    report = models.ForeignKey(
        TertialReport, on_delete=models.CASCADE, related_name="versions", verbose_name="rapport"
    )
    number = models.PositiveSmallIntegerField("version", validators=[MinValueValidator(1)])
    status = models.CharField(
        "status", max_length=16, choices=VersionStatus.choices, default=VersionStatus.UTKAST
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="redrafts",
        verbose_name="nytt utkast av",
    )
    summary_markdown = models.TextField("sammanfattning", blank=True)
    summary_html = models.TextField("sammanfattning (HTML)", blank=True, editable=False)
    frozen_at = models.DateTimeField("låst", null=True, blank=True)
    frozen_data = models.JSONField("låst innehåll", null=True, blank=True, editable=False)
    decided_on = models.DateField("styrelsens mötesdatum", null=True, blank=True)
    decision_paragraph = models.CharField("paragraf i protokollet", max_length=50, blank=True)
    meeting = models.ForeignKey(
        "members.Styrelsemote",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="styrelsemöte",
    )
    return_comment = models.TextField("motivering till återremiss", blank=True)

    class Meta:
        verbose_name = "rapportversion"
        verbose_name_plural = "rapportversioner"
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "report", "number"],
                name="reportversion_unique_number",
                violation_error_message="Rapporten har redan en version med det numret.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} version {self.number}"

    @property
    def is_frozen(self) -> bool:
        """True once sent to the board: the content may no longer change."""
        return self.status in FROZEN_STATUSES

    @property
    def is_approved(self) -> bool:
        return self.status == VersionStatus.GODKAND


@audited()
class GoalAssessment(TenantModel):
    """The kansli's judgement of a delmål in a draft: status (for what is not computed), value, comment."""

    version = models.ForeignKey(
        ReportVersion, on_delete=models.CASCADE, related_name="assessments", verbose_name="version"
    )
    delmal = models.ForeignKey(
        "goals.Delmal", on_delete=models.CASCADE, related_name="+", verbose_name="delmål"
    )
    status = models.CharField("status", max_length=20, choices=GoalStatus.choices, blank=True)
    value = models.DecimalField(
        "värde för perioden",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="För delmål som systemet inte beräknar, till exempel ett enkätresultat.",
    )
    comment = models.TextField("kommentar", blank=True)

    class Meta:
        verbose_name = "bedömning av delmål"
        verbose_name_plural = "bedömningar av delmål"
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "version", "delmal"], name="goalassessment_unique_delmal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.delmal_id}: {self.status or 'ingen status'}"


@audited()
class InsatsReport(TenantModel):
    """A short report on one insats for one draft, written by its own staff or the kansli."""

    version = models.ForeignKey(
        ReportVersion, on_delete=models.CASCADE, related_name="insats_reports", verbose_name="version"
    )
    insats = models.ForeignKey(
        "insatser.Insats", on_delete=models.CASCADE, related_name="+", verbose_name="insats"
    )
    text = models.TextField("insatsrapport", max_length=4000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="skriven av",
    )

    class Meta:
        verbose_name = "insatsrapport"
        verbose_name_plural = "insatsrapporter"
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "version", "insats"], name="insatsreport_unique_insats"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


@audited()
class ReportComment(TenantModel):
    """A board member's comment on a section of a sent version, answered by the kansli."""

    version = models.ForeignKey(
        ReportVersion, on_delete=models.CASCADE, related_name="comments", verbose_name="version"
    )
    section = models.CharField("avsnitt", max_length=20, choices=Section.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="av"
    )
    text = models.TextField("synpunkt", max_length=4000)
    status = models.CharField(
        "status", max_length=10, choices=CommentStatus.choices, default=CommentStatus.OPEN
    )
    answer = models.TextField("svar", blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="besvarad av",
    )
    answered_at = models.DateTimeField("besvarad", null=True, blank=True)

    class Meta:
        verbose_name = "synpunkt på tertialrapport"
        verbose_name_plural = "synpunkter på tertialrapporter"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


@audited()
class ReportEvent(TenantModel):
    """One step in a report's history: who did what, when (shown on the report page)."""

    version = models.ForeignKey(
        ReportVersion, on_delete=models.CASCADE, related_name="history", verbose_name="version"
    )
    action = models.CharField("händelse", max_length=20, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="av",
    )
    note = models.TextField("anteckning", blank=True)

    class Meta:
        verbose_name = "händelse"
        verbose_name_plural = "händelser"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.get_action_display()
