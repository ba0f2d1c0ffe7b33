"""Målområden and their delmål: the goals a förbund is judged by, one set per year."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.formatting import format_number
from apps.core.years import MAX_YEAR, MIN_YEAR
from apps.tenancy.models import TenantModel, audited

YEAR_VALIDATORS = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]


class IndicatorKind(models.TextChoices):
    MANUAL = "manual", "Manuell bedömning"
    KOSTNADER_INOM_BUDGET = (
        "kostnader_inom_budget",
        "Kostnaderna överstiger inte budgetramen (beräknas från budget och utfall)",
    )
    EGET_KAPITAL_ANDEL = "eget_kapital_andel", "Eget kapital högst X % av driftsbidraget (beräknas)"
    # Computed by apps.followup from participants, counts and surveys (its delmal_kinds).
    DELTAGARE_JAMFORT = (
        "deltagare_jamfort",
        "Antal deltagare jämfört med föregående år (beräknas från deltagare och antal)",
    )
    STEG_MEDEL = "steg_medel", "Genomsnittlig stegförflyttning (beräknas)"
    STEG_ANDEL = (
        "steg_andel",
        "Andel deltagare som rört sig minst N steg (beräknas; N ur indikatorn, ”minst 2 steg”, annars 1)",
    )
    SVARSFREKVENS = "svarsfrekvens", "Svarsfrekvens i enkäter (beräknas)"
    ANDEL_POSITIVA = "andel_positiva", "Andel positiva svar i enkäter (beräknas)"
    VOLYM_ANDEL = "volym_andel", "Andel av budgeterad volym som nåtts (beräknas)"
    AVSLUT_ARBETE_STUDIER = (
        "avslut_arbete_studier",
        "Andel avslutade deltagare som gått till arbete eller studier (beräknas)",
    )


# Kinds whose result the product computes: from the budget and utfall (apps.budgets) and from
# participants, counts and surveys (apps.followup); each app registers how in apps.goals.computed.
COMPUTED_KINDS = frozenset(set(IndicatorKind) - {IndicatorKind.MANUAL})


class Comparator(models.TextChoices):
    MINST = "minst", "minst"
    HOGST = "hogst", "högst"
    LIKA = "lika", "lika med"
    OKA = "oka", "öka jämfört med"
    MINSKA = "minska", "minska jämfört med"
    INTERVALL = "intervall", "mellan (intervall)"
    TEXT = "text", "mål i fritext"


VALUE_COMPARATORS = frozenset({Comparator.MINST, Comparator.HOGST, Comparator.LIKA})
BASELINE_COMPARATORS = frozenset({Comparator.OKA, Comparator.MINSKA})
COMPARATOR_SYMBOLS = {Comparator.MINST: "≥", Comparator.HOGST: "≤", Comparator.LIKA: "="}


class TargetUnit(models.TextChoices):
    PERCENT = "procent", "%"
    ANTAL = "antal", "antal"
    STEG = "steg", "steg"
    KR = "kr", "kr"
    ANNAT = "annat", "annat (ange i fritext)"


# How a unit is written after a number: "70 %", "900 st", "4 steg", "18 861 000 kr".
UNIT_SUFFIX: dict[str, str] = {
    TargetUnit.PERCENT: "%",
    TargetUnit.ANTAL: "st",
    TargetUnit.STEG: "steg",
    TargetUnit.KR: "kr",
}


class Tidpunkt(models.TextChoices):
    TERTIAL = "tertial", "Varje tertial"
    HALVAR = "halvar", "Halvår"
    AR = "ar", "År"
    LOPANDE = "lopande", "Löpande"


class DataSource(models.TextChoices):
    DELTAGARDATA = "deltagardata", "Deltagardata"
    STEGFORFLYTTNING = "stegforflyttning", "Stegförflyttning"
    ENKAT_NNS = "enkat_nns", "NNS indikatorer"
    ENKAT_EGEN = "enkat_egen", "Egen enkät"
    SUS = "sus", "SUS"
    UPPFOLJNING_FINSAM = "uppfoljning_finsam", "Uppföljning Finsam"
    BUDGET = "budget", "Budget"
    MANUELL = "manuell", "Manuell bedömning"
    ANNAT = "annat", "Annat"


@audited()
class Malomrade(TenantModel):
    """A målområde of one year's plan (e.g. "1 Deltagarna ska nå arbete eller studier")."""

    year = models.PositiveSmallIntegerField("år", validators=YEAR_VALIDATORS)
    number = models.PositiveSmallIntegerField("nummer", validators=[MinValueValidator(1)])
    title = models.CharField("rubrik", max_length=300)
    description = models.TextField("beskrivning", blank=True)

    class Meta:
        verbose_name = "målområde"
        verbose_name_plural = "målområden"
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "year", "number"],
                name="malomrade_unique_number",
                violation_error_message="Det finns redan ett målområde med det numret för året.",
            )
        ]

    def __str__(self) -> str:
        return f"Målområde {self.number}: {self.title}"


@audited()
class Delmal(TenantModel):
    """A delmål under a målområde, with indicator, target, evaluation and data source."""

    malomrade = models.ForeignKey(
        Malomrade, on_delete=models.CASCADE, related_name="delmal", verbose_name="målområde"
    )
    insats = models.ForeignKey(
        "insatser.Insats",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delmal",
        verbose_name="insats",
        help_text="Ange en insats om delmålet är insatsspecifikt; lämna tomt för förbundets mål.",
    )
    number = models.PositiveSmallIntegerField("nummer", validators=[MinValueValidator(1)])
    text = models.TextField("delmål")
    indicator = models.TextField("indikator", blank=True)
    indicator_kind = models.CharField(
        "typ av indikator", max_length=30, choices=IndicatorKind.choices, default=IndicatorKind.MANUAL
    )
    target_comparator = models.CharField("jämförelse", max_length=10, choices=Comparator.choices, blank=True)
    target_value = models.DecimalField("målvärde", max_digits=14, decimal_places=2, null=True, blank=True)
    target_value_max = models.DecimalField(
        "målvärde, övre gräns",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="För ett intervall, till exempel 5 i ”4–5 gånger per år”.",
    )
    target_text = models.CharField(
        "mål i fritext",
        max_length=300,
        blank=True,
        help_text="När målet inte är ett tal, till exempel ”kostnaderna ska inte överstiga budgetramen”.",
    )
    target_unit = models.CharField("enhet", max_length=10, choices=TargetUnit.choices, blank=True)
    target_unit_text = models.CharField(
        "enhet i fritext",
        max_length=100,
        blank=True,
        help_text="När enheten är ”annat”, till exempel ”deltagare per år”.",
    )
    baseline_year = models.PositiveSmallIntegerField(
        "basår", null=True, blank=True, validators=YEAR_VALIDATORS
    )
    baseline_value = models.DecimalField(
        "värde basåret", max_digits=14, decimal_places=2, null=True, blank=True
    )
    utvarderingsmetod = models.TextField("utvärderingsmetod", blank=True)
    tidpunkt = models.CharField("tidpunkt", max_length=10, choices=Tidpunkt.choices, blank=True)
    data_source = models.CharField("datakälla", max_length=20, choices=DataSource.choices, blank=True)
    responsible = models.CharField("ansvarig", max_length=200, blank=True)

    class Meta:
        verbose_name = "delmål"
        verbose_name_plural = "delmål"
        ordering = ["malomrade__year", "malomrade__number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "malomrade", "number"],
                name="delmal_unique_number",
                violation_error_message="Det finns redan ett delmål med det numret i målområdet.",
            )
        ]

    def __str__(self) -> str:
        return f"Delmål {self.number}: {self.text[:60]}"

    @property
    def unit_suffix(self) -> str:
        """The unit as written after a number ("%", "st", "steg", "kr" or the free text)."""
        if self.target_unit == TargetUnit.ANNAT:
            return self.target_unit_text.strip()
        return UNIT_SUFFIX.get(self.target_unit, "")

    def _with_unit(self, value: Decimal) -> str:
        suffix = self.unit_suffix
        number = format_number(value)
        return f"{number} {suffix}" if suffix else number

    def _with_unit_range(self, low: Decimal, high: Decimal) -> str:
        suffix = self.unit_suffix
        numbers = f"{format_number(low)}–{format_number(high)}"
        return f"{numbers} {suffix}" if suffix else numbers

    @property
    def target_display(self) -> str:
        """The target in words: "minst 70 %", "öka jämfört med 2022"; empty when none is set."""
        comparator = self.target_comparator
        if comparator == Comparator.TEXT:
            return self.target_text.strip()
        if comparator == Comparator.INTERVALL and self.target_value is not None:
            if self.target_value_max is None or self.target_value_max == self.target_value:
                return self._with_unit(self.target_value)
            return self._with_unit_range(self.target_value, self.target_value_max)
        if comparator in VALUE_COMPARATORS and self.target_value is not None:
            return f"{Comparator(comparator).label} {self._with_unit(self.target_value)}"
        if comparator in BASELINE_COMPARATORS and self.baseline_year:
            text = f"{Comparator(comparator).label} {self.baseline_year}"
            if self.baseline_value is not None:
                text += f" ({self._with_unit(self.baseline_value)})"
            return text
        return ""

    @property
    def target_symbol(self) -> str:
        """The target in short form: "≥ 4 steg", "≤ 20 %"; words for öka/minska."""
        comparator = self.target_comparator
        if comparator in COMPARATOR_SYMBOLS and self.target_value is not None:
            return f"{COMPARATOR_SYMBOLS[Comparator(comparator)]} {self._with_unit(self.target_value)}"
        return self.target_display

    @property
    def is_computed(self) -> bool:
        """True when the product computes the result (from the budget, participants or surveys)."""
        return self.indicator_kind in COMPUTED_KINDS

    @property
    def label(self) -> str:
        """The printed number, e.g. "1.2" for delmål 2 in målområde 1 (reads the parent)."""
        return f"{self.malomrade.number}.{self.number}"
