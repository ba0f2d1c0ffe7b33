"""The förbund's members (parter), its board, its other bodies and the board's year plan."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.years import year_validators
from apps.tenancy.models import TenantModel, audited


class MedlemKind(models.TextChoices):
    FORSAKRINGSKASSAN = "fk", "Försäkringskassan"
    ARBETSFORMEDLINGEN = "af", "Arbetsförmedlingen"
    REGION = "region", "Region"
    KOMMUN = "kommun", "Kommun"
    OTHER = "other", "Annan"


@audited()
class Medlem(TenantModel):
    """A member organisation of the förbund; a kommun carries its population for the split."""

    name = models.CharField("namn", max_length=200)
    kind = models.CharField("typ", max_length=10, choices=MedlemKind.choices)
    population = models.PositiveIntegerField("folkmängd", null=True, blank=True)
    population_date = models.DateField(
        "folkmängd per", null=True, blank=True, help_text="Normalt 31 december året före budgetåret."
    )
    share_percent = models.DecimalField(
        "fast andel (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, message="Andelen kan inte vara mindre än 0 %%."),
            MaxValueValidator(100, message="Andelen kan inte vara större än 100 %%."),
        ],
        help_text="Andel av kommunernas 25 % som förbundet har beslutat, om den inte följer folkmängden.",
    )
    position = models.PositiveSmallIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "medlem"
        verbose_name_plural = "medlemmar"
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "name"],
                name="medlem_unique_name",
                violation_error_message="Det finns redan en medlem med det namnet.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind != MedlemKind.KOMMUN:
            errors = {}
            if self.population is not None:
                errors["population"] = "Folkmängd anges bara för en kommun."
            if self.population_date is not None:
                errors["population_date"] = "Datum för folkmängd anges bara för en kommun."
            if errors:
                raise ValidationError(errors)
        if self.population_date is not None and self.population is None:
            raise ValidationError({"population": "Ange folkmängden som datumet gäller."})


class SeatKind(models.TextChoices):
    LEDAMOT = "ledamot", "Ledamot"
    ERSATTARE = "ersattare", "Ersättare"


class ChairRole(models.TextChoices):
    NONE = "", "–"
    ORDFORANDE = "ordforande", "Ordförande"
    VICE = "vice", "Vice ordförande"


@audited()
class Styrelseledamot(TenantModel):
    """A seat on the board: a person representing a member, for a mandate period."""

    person_name = models.CharField("namn", max_length=200)
    medlem = models.ForeignKey(
        Medlem, on_delete=models.PROTECT, related_name="styrelseledamoter", verbose_name="representerar"
    )
    seat = models.CharField("uppdrag", max_length=10, choices=SeatKind.choices, default=SeatKind.LEDAMOT)
    chair_role = models.CharField(
        "ordförandeskap", max_length=10, choices=ChairRole.choices, default=ChairRole.NONE, blank=True
    )
    # Optional: many plans name the board without its mandate period.
    mandate_start = models.DateField("mandatperiod från", null=True, blank=True)
    mandate_end = models.DateField("mandatperiod till", null=True, blank=True)

    class Meta:
        verbose_name = "styrelseledamot"
        verbose_name_plural = "styrelseledamöter"
        ordering = ["medlem__position", "medlem__name", "seat", "person_name"]

    def __str__(self) -> str:
        return f"{self.person_name}, {self.medlem}"

    @property
    def chair_abbreviation(self) -> str:
        """How printed plans mark the chair: (ordf.) / (vice ordf.)."""
        marks: dict[str, str] = {ChairRole.ORDFORANDE: "(ordf.)", ChairRole.VICE: "(vice ordf.)"}
        return marks.get(self.chair_role, "")

    def clean(self) -> None:
        if self.mandate_start and self.mandate_end and self.mandate_end < self.mandate_start:
            raise ValidationError({"mandate_end": "Mandatperioden kan inte sluta innan den börjar."})
        if self.chair_role and self.seat != SeatKind.LEDAMOT:
            raise ValidationError({"chair_role": "Bara en ordinarie ledamot kan vara ordförande."})


class OrganKind(models.TextChoices):
    CHEFSGRUPP = "chefsgrupp", "Chefsgrupp"
    STRATEGISK_STYRGRUPP = "strategisk_styrgrupp", "Strategisk styrgrupp"
    OPERATIV_CHEFSGRUPP = "operativ_chefsgrupp", "Operativ chefsgrupp"
    LOKSAM = "loksam", "Loksam"
    BEREDNINGSGRUPP = "beredningsgrupp", "Beredningsgrupp"
    MEDLEMSSAMRAD = "medlemssamrad", "Medlemssamråd"
    NATVERK = "natverk", "Nätverk"
    OTHER = "other", "Annat"


@audited()
class Organ(TenantModel):
    """A body other than the board: chefsgrupp, Loksam, beredningsgrupp, network and so on."""

    kind = models.CharField("typ", max_length=30, choices=OrganKind.choices)
    name = models.CharField("namn", max_length=200)
    purpose = models.TextField("syfte och uppdrag", blank=True)
    meetings_per_year = models.PositiveSmallIntegerField(
        "möten per år",
        null=True,
        blank=True,
        validators=[MaxValueValidator(366, message="Ange högst 366 möten per år.")],
    )
    position = models.PositiveSmallIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "organ"
        verbose_name_plural = "organ"
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "name"],
                name="organ_unique_name",
                violation_error_message="Det finns redan ett organ med det namnet.",
            )
        ]

    def __str__(self) -> str:
        return self.name


@audited()
class OrganMedlem(TenantModel):
    """A person in a body, optionally representing a member organisation."""

    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="ledamoter", verbose_name="organ")
    person_name = models.CharField("namn", max_length=200)
    medlem = models.ForeignKey(
        Medlem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organ_ledamoter",
        verbose_name="representerar",
    )
    role = models.CharField("roll", max_length=200, blank=True, help_text="T.ex. sammankallande.")

    class Meta:
        verbose_name = "ledamot i organ"
        verbose_name_plural = "ledamöter i organ"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.person_name


MONTHS = [
    (1, "januari"),
    (2, "februari"),
    (3, "mars"),
    (4, "april"),
    (5, "maj"),
    (6, "juni"),
    (7, "juli"),
    (8, "augusti"),
    (9, "september"),
    (10, "oktober"),
    (11, "november"),
    (12, "december"),
]


@audited()
class Styrelsemote(TenantModel):
    """A board meeting in the year plan: a date, or only a month, and what is planned at it."""

    year = models.PositiveSmallIntegerField(
        "år",
        validators=year_validators(),
    )
    date = models.DateField("datum", null=True, blank=True)
    month = models.PositiveSmallIntegerField(
        "månad", null=True, blank=True, choices=MONTHS, help_text="Anges när datumet inte är bestämt."
    )
    items = models.TextField("planerade ärenden", blank=True, help_text="Ett ärende per rad.")

    class Meta:
        verbose_name = "styrelsemöte"
        verbose_name_plural = "styrelsemöten"
        ordering = ["year", "month", models.F("date").asc(nulls_last=True), "created_at"]

    def __str__(self) -> str:
        if self.date:
            return f"Styrelsemöte {self.date:%Y-%m-%d}"
        return f"Styrelsemöte {self.get_month_display()} {self.year}"

    @property
    def item_list(self) -> list[str]:
        """The planned items, one per non-empty line."""
        return [line.strip() for line in self.items.splitlines() if line.strip()]

    def clean(self) -> None:
        if self.date is None:
            if self.month is None:
                raise ValidationError({"month": "Ange ett datum eller en månad."})
            return
        if self.year and self.date.year != self.year:
            raise ValidationError({"date": f"Datumet ligger inte i år {self.year}."})
        # The month follows the date, so meetings sort the same with or without a date.
        self.month = self.date.month
