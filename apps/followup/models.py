"""Follow-up of insatser: pseudonymous participants with step assessments, monthly counts,
surveys, the förbund's category lists and step scales, and aggregate snapshots.

Participant rows (Deltagare, Bedomning) are personal data in pseudonymous form: they are seen
only by the staff granted the insats, never by other roles, and deleted on schedule
(``retention``). Everything the rest of the förbund sees is aggregated and suppressed.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.tenancy.models import TenantModel, audited

from .codes import validate_code


class Mode(models.TextChoices):
    DELTAGARE = "deltagare", "Deltagare (pseudonyma register)"
    ANTAL = "antal", "Antal (räknas per månad)"


class Kon(models.TextChoices):
    KVINNA = "kvinna", "Kvinna"
    MAN = "man", "Man"
    ANNAT = "annat", "Annat"
    EJ_UPPGIVET = "ej_uppgivet", "Vill inte uppge"


class CategoryList(models.TextChoices):
    FORSORJNING = "forsorjning", "Försörjning"
    AVSLUT = "avslut", "Avslutsorsak"
    SYSSELSATTNING = "sysselsattning", "Sysselsättning vid avslut"


class Outcome(models.TextChoices):
    """What an avslutsorsak means for the goal "share ended to arbete or studier"."""

    NONE = "", "–"
    ARBETE = "arbete", "Arbete"
    STUDIER = "studier", "Studier"


class Remittent(models.TextChoices):
    MEDLEM = "medlem", "En medlem i förbundet"
    ANNAN = "annan", "Annan"
    SJALV = "sjalv", "Självremiss"


class Rater(models.TextChoices):
    PERSONAL = "personal", "Personalens bedömning"
    EGEN = "egen", "Deltagarens egen skattning"


class SurveyKind(models.TextChoices):
    NNS_DELTAGARE = "nns_deltagare", "NNS deltagarenkät"
    NNS_PERSONAL = "nns_personal", "NNS personalenkät"
    EGEN = "egen", "Egen enkät"


class Period(models.TextChoices):
    T1 = "t1", "T1 (januari–april)"
    T2 = "t2", "T2 (maj–augusti)"
    T3 = "t3", "T3 (september–december)"
    AR = "ar", "Helår"


YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


@audited()
class FollowupSettings(TenantModel):
    """The förbund's follow-up settings (one row per förbund; defaults when missing)."""

    retention_months = models.PositiveSmallIntegerField(
        "gallring efter avslut (månader)",
        default=24,
        validators=[MinValueValidator(12), MaxValueValidator(120)],
        help_text="Deltagare och deras bedömningar raderas så många månader efter slutdatum.",
    )

    class Meta:
        verbose_name = "uppföljningsinställning"
        verbose_name_plural = "uppföljningsinställningar"
        constraints = [models.UniqueConstraint(fields=["forbund"], name="followupsettings_unique")]


@audited()
class Category(TenantModel):
    """One entry of a category list (försörjning, avslutsorsak, sysselsättning at the end)."""

    kind = models.CharField("lista", max_length=20, choices=CategoryList.choices)
    label = models.CharField("benämning", max_length=100)
    position = models.PositiveSmallIntegerField("ordning", default=0)
    outcome = models.CharField(
        "räknas som", max_length=10, choices=Outcome.choices, blank=True, default=Outcome.NONE
    )
    excluded = models.BooleanField(
        "räknas inte alls",
        default=False,
        help_text="Till exempel felregistrering: deltagaren räknas inte i någon statistik.",
    )
    is_active = models.BooleanField("används", default=True)

    class Meta:
        verbose_name = "kategori"
        verbose_name_plural = "kategorier"
        ordering = ["kind", "position", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "kind", "label"],
                name="followup_category_unique_label",
                violation_error_message="Det finns redan en kategori med den benämningen i listan.",
            )
        ]

    def __str__(self) -> str:
        return self.label


@audited()
class StepScale(TenantModel):
    """A step scale for stegförflyttning (ordered steps, 1 = furthest from work)."""

    name = models.CharField("namn", max_length=100)
    description = models.TextField("beskrivning", blank=True)

    class Meta:
        verbose_name = "stegskala"
        verbose_name_plural = "stegskalor"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "name"],
                name="followup_stepscale_unique_name",
                violation_error_message="Det finns redan en stegskala med det namnet.",
            )
        ]

    def __str__(self) -> str:
        return self.name


@audited()
class Step(TenantModel):
    """One step of a scale; ``number`` orders the steps and movement is a difference of numbers."""

    scale = models.ForeignKey(StepScale, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField("steg", validators=[MinValueValidator(1)])
    label = models.CharField("benämning", max_length=100)
    description = models.TextField("beskrivning", blank=True)

    class Meta:
        verbose_name = "steg"
        verbose_name_plural = "steg"
        ordering = ["scale", "number"]
        constraints = [
            models.UniqueConstraint(fields=["forbund", "scale", "number"], name="followup_step_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"


@audited()
class InsatsFollowup(TenantModel):
    """How one insats is followed up: the step scale it uses."""

    insats = models.ForeignKey("insatser.Insats", on_delete=models.CASCADE, related_name="+")
    step_scale = models.ForeignKey(
        StepScale, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="stegskala"
    )

    class Meta:
        verbose_name = "uppföljning av insats"
        verbose_name_plural = "uppföljning av insatser"
        constraints = [models.UniqueConstraint(fields=["forbund", "insats"], name="followup_insats_unique")]


@audited()
class InsatsYearMode(TenantModel):
    """How an insats is followed up in one year (its InsatsYear): deltagare or antal.

    Without a row, individinriktade insatser use deltagare and strukturinriktade antal.
    """

    insats_year = models.ForeignKey("insatser.InsatsYear", on_delete=models.CASCADE, related_name="+")
    mode = models.CharField("uppföljning", max_length=10, choices=Mode.choices)

    class Meta:
        verbose_name = "uppföljningssätt"
        verbose_name_plural = "uppföljningssätt"
        constraints = [
            models.UniqueConstraint(fields=["forbund", "insats_year"], name="followup_yearmode_unique")
        ]


@audited()
class Deltagare(TenantModel):
    """A pseudonymous participant of one insats: a code, never a name or personnummer."""

    insats = models.ForeignKey(
        "insatser.Insats", on_delete=models.PROTECT, related_name="+", verbose_name="insats"
    )
    code = models.CharField(
        "kod",
        max_length=30,
        validators=[validate_code],
        help_text="En kod ni väljer själva. Den får inte gå att koppla till en person: inga "
        "personnummer, samordningsnummer, namn, e-postadresser eller telefonnummer.",
    )
    kon = models.CharField("kön", max_length=12, choices=Kon.choices)
    birth_year = models.PositiveSmallIntegerField(
        "födelseår",
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text="Frivilligt. Visas bara som åldersgrupp.",
    )
    start_date = models.DateField("startdatum")
    remittent = models.CharField("remitterande part", max_length=10, choices=Remittent.choices)
    remittent_medlem = models.ForeignKey(
        "members.Medlem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="remitterande medlem",
    )
    forsorjning_start = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="försörjning vid start",
    )
    end_date = models.DateField("slutdatum", null=True, blank=True)
    avslutsorsak = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="avslutsorsak",
    )
    sysselsattning_slut = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="sysselsättning vid avslut",
    )
    forsorjning_slut = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="försörjning vid avslut",
    )

    class Meta:
        verbose_name = "deltagare"
        verbose_name_plural = "deltagare"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "insats", "code"],
                name="followup_deltagare_unique_code",
                violation_error_message="Koden används redan i insatsen.",
            )
        ]
        indexes = [models.Index(fields=["forbund", "insats", "start_date"], name="followup_dt_start")]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "Slutdatum kan inte vara före startdatum."
        if self.remittent == Remittent.MEDLEM and not self.remittent_medlem_id:
            errors["remittent_medlem"] = "Välj vilken medlem som remitterade."
        if self.remittent != Remittent.MEDLEM and self.remittent_medlem_id:
            errors["remittent_medlem"] = "Ange medlem bara när en medlem remitterade."
        if self.end_date is None and (
            self.avslutsorsak_id or self.sysselsattning_slut_id or self.forsorjning_slut_id
        ):
            errors["end_date"] = "Ange slutdatum när du anger hur deltagandet avslutades."
        if self.end_date and not self.avslutsorsak_id:
            errors["avslutsorsak"] = "Ange avslutsorsak när deltagaren har ett slutdatum."
        for field, wanted in (
            ("forsorjning_start", CategoryList.FORSORJNING),
            ("forsorjning_slut", CategoryList.FORSORJNING),
            ("avslutsorsak", CategoryList.AVSLUT),
            ("sysselsattning_slut", CategoryList.SYSSELSATTNING),
        ):
            category = getattr(self, field)
            if category is not None and category.kind != wanted:
                errors[field] = "Välj en kategori ur rätt lista."
        if errors:
            raise ValidationError(errors)


@audited()
class Bedomning(TenantModel):
    """A step assessment of a participant on a date: the staff's or the participant's own."""

    deltagare = models.ForeignKey(Deltagare, on_delete=models.CASCADE, related_name="bedomningar")
    date = models.DateField("datum")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="+", verbose_name="steg")
    rater = models.CharField("vems bedömning", max_length=10, choices=Rater.choices, default=Rater.PERSONAL)

    class Meta:
        verbose_name = "bedömning"
        verbose_name_plural = "bedömningar"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "deltagare", "date", "rater"],
                name="followup_bedomning_unique_day",
                violation_error_message="Deltagaren har redan en sådan bedömning det datumet.",
            )
        ]
        indexes = [models.Index(fields=["forbund", "deltagare", "date"], name="followup_bed_date")]


@audited()
class MonthlyCount(TenantModel):
    """Counts of one insats for a month and gender, for insatser followed up as antal."""

    insats = models.ForeignKey("insatser.Insats", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("år", validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(
        "månad", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    kon = models.CharField("kön", max_length=12, choices=Kon.choices)
    new = models.PositiveIntegerField("nya", default=0)
    active = models.PositiveIntegerField(
        "aktiva", default=0, help_text="Aktiva under månaden, nya inräknade."
    )
    ended = models.PositiveIntegerField("avslutade", default=0)
    attendees = models.PositiveIntegerField("deltagare vid tillfällen", default=0)

    class Meta:
        verbose_name = "månadsantal"
        verbose_name_plural = "månadsantal"
        ordering = ["year", "month", "kon"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "insats", "year", "month", "kon"], name="followup_monthlycount_unique"
            )
        ]


@audited()
class Survey(TenantModel):
    """A survey's result for a period: asked, answered, and its questions' answer counts."""

    insats = models.ForeignKey(
        "insatser.Insats",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="insats",
        help_text="Lämna tomt för en enkät för hela förbundet.",
    )
    year = models.PositiveSmallIntegerField("år", validators=YEAR_VALIDATORS)
    period = models.CharField("period", max_length=3, choices=Period.choices, default=Period.AR)
    kind = models.CharField("enkät", max_length=20, choices=SurveyKind.choices)
    name = models.CharField("namn", max_length=200, blank=True, help_text="Enkätens namn om den är egen.")
    respondent_group = models.CharField(
        "svarsgrupp", max_length=100, help_text="Till exempel deltagare vid avslut."
    )
    asked = models.PositiveIntegerField("antal tillfrågade")
    answered = models.PositiveIntegerField("antal svarande")

    class Meta:
        verbose_name = "enkät"
        verbose_name_plural = "enkäter"
        ordering = ["year", "period", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "insats", "year", "period", "kind", "respondent_group"],
                name="followup_survey_unique",
                nulls_distinct=False,
                violation_error_message="Det finns redan den enkäten för perioden och svarsgruppen.",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.asked is not None and self.answered is not None and self.answered > self.asked:
            raise ValidationError({"answered": "Fler kan inte ha svarat än som tillfrågades."})


@audited()
class SurveyQuestion(TenantModel):
    """A question of a survey, in its order."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField("ordning", default=0)
    text = models.TextField("fråga")

    class Meta:
        verbose_name = "enkätfråga"
        verbose_name_plural = "enkätfrågor"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["forbund", "survey", "position"], name="followup_question_unique")
        ]


@audited()
class SurveyOption(TenantModel):
    """An answer option of a question with its count; ``positive`` marks it for the share positive."""

    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField("ordning", default=0)
    label = models.CharField("svarsalternativ", max_length=100)
    count = models.PositiveIntegerField("antal svar", default=0)
    positive = models.BooleanField("räknas som positivt", default=False)

    class Meta:
        verbose_name = "svarsalternativ"
        verbose_name_plural = "svarsalternativ"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["forbund", "question", "position"], name="followup_option_unique")
        ]


@audited()
class AggregateSnapshot(TenantModel):
    """Participant statistics of one insats and period, kept when the rows behind them are deleted.

    ``period`` is a tertial (t1, t2, t3) or a cumulative span (t1t2 = januari–augusti,
    ar = the year); ``data`` holds the count tables ``statistics.participant_tables`` returns.
    """

    insats = models.ForeignKey("insatser.Insats", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("år", validators=YEAR_VALIDATORS)
    period = models.CharField("period", max_length=4)
    data = models.JSONField("uppgifter")

    class Meta:
        verbose_name = "sparad statistik"
        verbose_name_plural = "sparad statistik"
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "insats", "year", "period"], name="followup_snapshot_unique"
            )
        ]
