"""Insatser the förbund finances: plattformar, insatser with yearly rows, and staff grants."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from guardian.models import UserObjectPermissionBase

from apps.core.years import MAX_YEAR, MIN_YEAR
from apps.tenancy.models import Forbund, TenantModel, audited


class InsatsKind(models.TextChoices):
    INDIVID = "individ", "Individinriktad"
    STRUKTUR = "struktur", "Strukturinriktad"


class InsatsStatus(models.TextChoices):
    ASKANDE = "askande", "Äskande"
    BEREDNING = "beredning", "Beredning"
    BEVILJAD = "beviljad", "Beviljad"
    PAGAENDE = "pagaende", "Pågående"
    AVSLUTAD = "avslutad", "Avslutad"
    AVSLAG = "avslag", "Avslag"


@audited()
class Plattform(TenantModel):
    """An optional grouping of individinriktade insatser, often one per kommun."""

    name = models.CharField("namn", max_length=200)
    description = models.TextField("beskrivning", blank=True)

    class Meta:
        verbose_name = "plattform"
        verbose_name_plural = "plattformar"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["forbund", "name"], name="plattform_unique_name")]

    def __str__(self) -> str:
        return self.name


@audited()
class Insats(TenantModel):
    """An insats the förbund finances, run by one member (verksamhetsägare) with medparter."""

    name = models.CharField("namn", max_length=200)
    kind = models.CharField("typ", max_length=10, choices=InsatsKind.choices, default=InsatsKind.INDIVID)
    verksamhetsagare = models.ForeignKey(
        "members.Medlem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="insatser_som_agare",
        verbose_name="verksamhetsägare",
    )
    # Real plans name owners and medparter that are not members (a cooperative, an ideell
    # förening, a company, another förbund): kept as text, since the förbund holds no data on them.
    verksamhetsagare_annan = models.CharField(
        "annan verksamhetsägare",
        max_length=200,
        blank=True,
        help_text="En organisation som inte är medlem, till exempel ett kooperativ eller en förening.",
    )
    medparter = models.ManyToManyField(
        "members.Medlem",
        through="InsatsMedpart",
        related_name="insatser_som_medpart",
        blank=True,
        verbose_name="medparter",
    )
    ovriga_medparter = models.TextField(
        "andra medparter",
        blank=True,
        help_text="Organisationer som inte är medlemmar, en per rad.",
    )
    description = models.TextField("beskrivning", blank=True)
    malgrupp = models.TextField("målgrupp", blank=True)
    plattform = models.ForeignKey(
        Plattform,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="insatser",
        verbose_name="plattform",
    )
    start_date = models.DateField("startdatum", null=True, blank=True)
    end_date = models.DateField("slutdatum", null=True, blank=True)
    long_term = models.BooleanField("långsiktig (tillsvidare)", default=False)
    period_volume = models.PositiveIntegerField(
        "volym för hela perioden (deltagare)",
        null=True,
        blank=True,
        help_text="För en insats som planerar deltagare över flera år, till exempel 557 deltagare 2016–2019.",
    )
    external_financing = models.CharField(
        "extern medfinansiering", max_length=200, blank=True, help_text="Till exempel ESF."
    )
    external_financing_amount = models.PositiveBigIntegerField(
        "extern medfinansiering (kr)", null=True, blank=True
    )
    contact_name = models.CharField("kontaktperson", max_length=200, blank=True)
    contact_email = models.EmailField("kontaktpersonens e-post", blank=True)
    status = models.CharField(
        "status", max_length=12, choices=InsatsStatus.choices, default=InsatsStatus.ASKANDE
    )
    decision_date = models.DateField("beslutsdatum", null=True, blank=True)
    decision_paragraph = models.CharField(
        "paragraf i protokollet",
        max_length=50,
        blank=True,
        help_text="Till exempel § 12. Lämnas tomt om förbundet inte numrerar paragrafer.",
    )
    has_implementation_plan = models.BooleanField("genomförandeplan finns", default=False)
    has_risk_analysis = models.BooleanField("riskanalys finns", default=False)
    position = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "insats"
        verbose_name_plural = "insatser"
        ordering = ["kind", "position", "name"]
        permissions = [("log_participants", "Får registrera deltagare i insatsen")]
        constraints = [models.UniqueConstraint(fields=["forbund", "name"], name="insats_unique_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Slutdatum kan inte vara före startdatum."})
        self.verksamhetsagare_annan = (self.verksamhetsagare_annan or "").strip()
        if self.verksamhetsagare_id is None and not self.verksamhetsagare_annan:
            raise ValidationError(
                {
                    "verksamhetsagare": "Välj en medlem som verksamhetsägare "
                    "eller skriv in en annan organisation."
                }
            )
        if self.verksamhetsagare_id is not None and self.verksamhetsagare_annan:
            raise ValidationError(
                {"verksamhetsagare_annan": "Ange antingen en medlem eller en annan organisation, inte båda."}
            )

    @property
    def owner_name(self) -> str:
        """The verksamhetsägare as printed: the member's name or the other organisation."""
        owner = self.verksamhetsagare if self.verksamhetsagare_id else None
        return owner.name if owner is not None else self.verksamhetsagare_annan

    @property
    def ovriga_medparter_list(self) -> list[str]:
        """The medparter that are not members, one per non-empty line."""
        return [line.strip() for line in self.ovriga_medparter.splitlines() if line.strip()]

    @property
    def period_years(self) -> str:
        """The period as years ("2016–2019", "2024", "från 2020"); empty without dates."""
        start = self.start_date.year if self.start_date else None
        end = self.end_date.year if self.end_date else None
        if start and end:
            return str(start) if start == end else f"{start}–{end}"
        if start:
            return f"från {start}"
        if end:
            return f"till {end}"
        return ""


@audited()
class InsatsMedpart(TenantModel):
    """A medpart (member taking part) of an insats; explicit so the row carries the förbund."""

    insats = models.ForeignKey(Insats, on_delete=models.CASCADE, related_name="medpart_rows")
    medlem = models.ForeignKey("members.Medlem", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "medpart"
        verbose_name_plural = "medparter"
        constraints = [
            models.UniqueConstraint(fields=["forbund", "insats", "medlem"], name="insatsmedpart_unique")
        ]

    def __str__(self) -> str:
        return f"{self.medlem_id} i {self.insats_id}"


@audited()
class InsatsYear(TenantModel):
    """One year of an insats: budget, financed FTE, volume and the samverkansavtal."""

    insats = models.ForeignKey(Insats, on_delete=models.CASCADE, related_name="years", verbose_name="insats")
    year = models.PositiveSmallIntegerField(
        "år", validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    # Optional: an insats the förbund runs without financing it (a network, a dialogue series)
    # has no budget or FTE, and a plan must never show an invented 0.
    budget_amount = models.PositiveBigIntegerField("budget (kr)", null=True, blank=True)
    financed_fte = models.DecimalField(
        "finansierade heltidstjänster",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budgeted_volume = models.PositiveIntegerField("budgeterad volym (deltagare)", null=True, blank=True)
    avtal_parties = models.TextField("avtalsparter", blank=True)
    avtal_start = models.DateField("avtal från", null=True, blank=True)
    avtal_end = models.DateField("avtal till", null=True, blank=True)
    avtal_amount = models.PositiveBigIntegerField("avtalsbelopp (kr)", null=True, blank=True)
    avtal_signed_date = models.DateField("avtal undertecknat", null=True, blank=True)

    class Meta:
        verbose_name = "insatsår"
        verbose_name_plural = "insatsår"
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "insats", "year"],
                name="insatsyear_unique_year",
                violation_error_message="Insatsen har redan en rad för det året.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.insats_id} {self.year}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.avtal_start and self.avtal_end and self.avtal_end < self.avtal_start:
            raise ValidationError({"avtal_end": "Avtalet kan inte sluta före det börjar."})


@audited()
class InsatsSettings(TenantModel):
    """The förbund's own rules for insatser; a förbund without a row has the defaults."""

    numbers_paragraphs = models.BooleanField(
        "Vi numrerar paragrafer i protokollen",
        default=True,
        help_text="När rutan är ikryssad måste ett beviljande ange paragrafen i styrelsens protokoll.",
    )

    class Meta:
        verbose_name = "inställningar för insatser"
        verbose_name_plural = "inställningar för insatser"
        constraints = [models.UniqueConstraint(fields=["forbund"], name="insatssettings_unique_forbund")]

    def __str__(self) -> str:
        return f"Inställningar för insatser {self.forbund_id}"


@audited()
class InsatsUserObjectPermission(UserObjectPermissionBase):
    """Guardian's direct-FK object permission, with the förbund so the table is under RLS."""

    forbund = models.ForeignKey(Forbund, on_delete=models.PROTECT, related_name="+", verbose_name="förbund")
    content_object = models.ForeignKey(Insats, on_delete=models.CASCADE, related_name="staff_permissions")
    created_at = models.DateTimeField("skapad", auto_now_add=True)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "behörighet till insats"
        verbose_name_plural = "behörigheter till insatser"
        unique_together: ClassVar[list] = []
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "user", "permission", "content_object"], name="insatsuserperm_unique"
            )
        ]
