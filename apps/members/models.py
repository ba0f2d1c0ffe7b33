"""The förbund's members (parter): Försäkringskassan, Arbetsförmedlingen, region, kommuner."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

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
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Andel av kommunernas 25 % som förbundet har beslutat, om den inte följer folkmängden.",
    )
    position = models.PositiveSmallIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "medlem"
        verbose_name_plural = "medlemmar"
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["forbund", "name"], name="medlem_unique_name")]

    def __str__(self) -> str:
        return self.name
