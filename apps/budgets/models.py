"""A förbund's budget per year: income lines, a hierarchy of cost lines and the långtidsbudget.

Every total is computed (see selectors.budget_summary); nothing here stores a sum.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.years import year_validators
from apps.tenancy.models import TenantModel, audited


class InputMode(models.TextChoices):
    TOTAL = "total", "Årets totala driftsbidrag"
    STATE = "state", "Statens tilldelning"


class StateSplit(models.TextChoices):
    ONE_LINE = "one_line", "En rad: Staten (via Försäkringskassan)"
    FK_AF = "fk_af", "Två rader: Försäkringskassan och Arbetsförmedlingen"


class KommunSplit(models.TextChoices):
    POPULATION = "population", "Efter folkmängd"
    FIXED_SHARE = "fixed_share", "Efter fasta andelar"


class Display(models.TextChoices):
    KR = "kr", "Kronor"
    TKR = "tkr", "Tusental kronor (tkr)"


class IncomeKind(models.TextChoices):
    FINANSIELLA_INTAKTER = "finansiella_intakter", "Finansiella intäkter"
    EGET_KAPITAL = "eget_kapital", "Användning av eget kapital"
    EXTERN_MEDFINANSIERING = "extern_medfinansiering", "Extern medfinansiering"
    OVRIGT = "ovrigt", "Övrigt"


YEAR_VALIDATORS = year_validators()


@audited()
class Budget(TenantModel):
    """The budget of one year: how the driftsbidrag is entered and split, and eget kapital."""

    year = models.PositiveSmallIntegerField("år", validators=YEAR_VALIDATORS)
    input_mode = models.CharField(
        "belopp som anges", max_length=10, choices=InputMode.choices, default=InputMode.TOTAL
    )
    # None: the plan gives costs only, so no driftsbidrag, member split or result is invented.
    input_amount = models.PositiveBigIntegerField(
        "belopp (kr)",
        null=True,
        blank=True,
        default=0,
        help_text=(
            "Årets totala driftsbidrag eller statens tilldelning, i hela kronor. "
            "Lämna tomt om planen bara anger kostnader."
        ),
    )
    state_split = models.CharField(
        "statens del visas som", max_length=10, choices=StateSplit.choices, default=StateSplit.FK_AF
    )
    kommun_split = models.CharField(
        "kommunernas del fördelas", max_length=12, choices=KommunSplit.choices, default=KommunSplit.POPULATION
    )
    eget_kapital_opening = models.BigIntegerField("ingående eget kapital (kr)", default=0)
    display = models.CharField("visning", max_length=3, choices=Display.choices, default=Display.KR)
    notes = models.TextField("kommentar", blank=True)

    class Meta:
        verbose_name = "budget"
        verbose_name_plural = "budgetar"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "year"],
                name="budget_unique_year",
                violation_error_message="Det finns redan en budget för det året.",
            )
        ]

    def __str__(self) -> str:
        return f"Budget {self.year}"


@audited()
class IncomeLine(TenantModel):
    """An income line besides the driftsbidrag: finansiella intäkter, eget kapital, ESF and others."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="income_lines")
    kind = models.CharField("typ", max_length=30, choices=IncomeKind.choices)
    name = models.CharField("benämning", max_length=200)
    amount = models.PositiveBigIntegerField("belopp (kr)", default=0)
    position = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "intäktsrad"
        verbose_name_plural = "intäktsrader"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


@audited()
class CostLine(TenantModel):
    """A cost line, optionally a sub-line of another; an insats line takes the insats' year budget."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="cost_lines")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="huvudrad",
    )
    account_code = models.CharField(
        "kontokod", max_length=20, blank=True, help_text="Till exempel 101. Visas som (101)."
    )
    name = models.CharField("benämning", max_length=200)
    amount = models.PositiveBigIntegerField(
        "belopp (kr)",
        null=True,
        blank=True,
        help_text="Lämnas tomt för en rad med underrader eller en rad kopplad till en insats.",
    )
    insats = models.ForeignKey(
        "insatser.Insats",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name="insats",
    )
    is_reserve = models.BooleanField("ointecknade medel (reserv)", default=False)
    position = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "kostnadsrad"
        verbose_name_plural = "kostnadsrader"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"({self.account_code}) {self.name}" if self.account_code else self.name


@audited()
class LongTermYear(TenantModel):
    """One of the two years after the budget year: the state scenario and planned eget kapital."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="long_term_years")
    year = models.PositiveSmallIntegerField("år", validators=YEAR_VALIDATORS)
    state_change_percent = models.DecimalField(
        "förändring av statens tilldelning (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("-10"),
        validators=[MinValueValidator(Decimal("-100"), message="Förändringen kan inte vara under −100 %%.")],
        help_text="Jämfört med året före. Lagen tillåter som mest −10 % per år.",
    )
    eget_kapital_use = models.PositiveBigIntegerField("planerad användning av eget kapital (kr)", default=0)

    class Meta:
        verbose_name = "år i långtidsbudgeten"
        verbose_name_plural = "år i långtidsbudgeten"
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "budget", "year"],
                name="longtermyear_unique_year",
                violation_error_message="Långtidsbudgeten har redan det året.",
            )
        ]

    def __str__(self) -> str:
        return f"Långtidsbudget {self.year}"


@audited()
class LongTermCost(TenantModel):
    """A cost line's amount in a långtidsbudget year; without an override the line is carried forward."""

    long_term_year = models.ForeignKey(LongTermYear, on_delete=models.CASCADE, related_name="costs")
    cost_line = models.ForeignKey(CostLine, on_delete=models.CASCADE, related_name="long_term_costs")
    amount = models.PositiveBigIntegerField("belopp (kr)", null=True, blank=True)

    class Meta:
        verbose_name = "kostnad i långtidsbudgeten"
        verbose_name_plural = "kostnader i långtidsbudgeten"
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "long_term_year", "cost_line"], name="longtermcost_unique_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cost_line_id} {self.long_term_year_id}"


# --- Utfall and prognosis (apps/budgets/utfall) ----------------------------------------


class UtfallSource(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX (Excel)"
    SIE4 = "sie4", "SIE4"


class UtfallStatus(models.TextChoices):
    PREVIEW = "preview", "Förhandsgranskad"
    DONE = "done", "Importerad"
    FAILED = "failed", "Misslyckades"
    UNDONE = "undone", "Ångrad"


def _one_line_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(models.Q(cost_line__isnull=False, income_line__isnull=True))
        | (models.Q(cost_line__isnull=True, income_line__isnull=False)),
        name=name,
        violation_error_message="Välj antingen en kostnadsrad eller en intäktsrad.",
    )


class OneBudgetLine(models.Model):
    """Points at exactly one budget line, a cost line or an income line; each concrete model
    enforces "exactly one" with :func:`_one_line_constraint` in its Meta."""

    cost_line = models.ForeignKey(
        CostLine,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="kostnadsrad",
    )
    income_line = models.ForeignKey(
        IncomeLine,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="intäktsrad",
    )

    class Meta:
        abstract = True


@audited()
class AccountMapping(TenantModel, OneBudgetLine):
    """An account number or range ("4000-4099") mapped to a budget line; reused each year.

    The line belongs to one year's budget; for another year the line with the same
    account code and name in that year's budget is used (see utfall.mapping).
    """

    account_from = models.PositiveIntegerField("från konto")
    account_to = models.PositiveIntegerField("till konto")

    class Meta:
        verbose_name = "kontokoppling"
        verbose_name_plural = "kontokopplingar"
        ordering = ["account_from", "account_to"]
        constraints = [
            _one_line_constraint("accountmapping_one_line"),
            models.CheckConstraint(
                condition=models.Q(account_from__lte=models.F("account_to")),
                name="accountmapping_range_order",
                violation_error_message="Det första kontot i intervallet måste vara lägre än det sista.",
            ),
        ]

    def __str__(self) -> str:
        return self.accounts

    @property
    def accounts(self) -> str:
        """The account or range as written: "4010" or "4000-4099"."""
        if self.account_from == self.account_to:
            return str(self.account_from)
        return f"{self.account_from}-{self.account_to}"


@audited(exclude=["content"])
class UtfallImport(TenantModel):
    """An uploaded utfall file: previewed, imported in one transaction, and possibly undone."""

    source = models.CharField("filformat", max_length=10, choices=UtfallSource.choices)
    filename = models.CharField("filnamn", max_length=255)
    content = models.BinaryField("innehåll", default=b"")
    sha256 = models.CharField("kontrollsumma", max_length=64)
    year = models.PositiveSmallIntegerField("år", validators=YEAR_VALIDATORS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="uppladdad av",
    )
    status = models.CharField(
        "status", max_length=10, choices=UtfallStatus.choices, default=UtfallStatus.PREVIEW
    )
    imported_at = models.DateTimeField("importerad", null=True, blank=True)
    undone_at = models.DateTimeField("ångrad", null=True, blank=True)

    class Meta:
        verbose_name = "import av utfall"
        verbose_name_plural = "importer av utfall"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Utfall {self.year}: {self.filename}"


@audited()
class UtfallRow(TenantModel, OneBudgetLine):
    """One month's outcome on one budget line (costs positive), from an import."""

    utfall_import = models.ForeignKey(UtfallImport, on_delete=models.CASCADE, related_name="rows")
    year = models.PositiveSmallIntegerField("år", validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(
        "månad",
        validators=[
            MinValueValidator(1, message="Månaden ska vara 1–12."),
            MaxValueValidator(12, message="Månaden ska vara 1–12."),
        ],
    )
    amount = models.BigIntegerField("belopp (kr)")
    account = models.CharField("konto", max_length=20, blank=True)

    class Meta:
        verbose_name = "utfallsrad"
        verbose_name_plural = "utfallsrader"
        ordering = ["year", "month", "id"]
        constraints = [
            _one_line_constraint("utfallrow_one_line"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="utfallrow_month_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}: {self.amount}"


@audited()
class PrognosisOverride(TenantModel, OneBudgetLine):
    """A full-year prognosis typed for one budget line instead of the projection, with a comment."""

    year = models.PositiveSmallIntegerField("år", validators=YEAR_VALIDATORS)
    amount = models.BigIntegerField("prognos för helåret (kr)")
    comment = models.TextField("kommentar")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="av",
    )

    class Meta:
        verbose_name = "prognos"
        verbose_name_plural = "prognoser"
        constraints = [
            _one_line_constraint("prognosisoverride_one_line"),
            models.UniqueConstraint(
                fields=["forbund", "year", "cost_line"],
                condition=models.Q(cost_line__isnull=False),
                name="prognosisoverride_unique_cost",
            ),
            models.UniqueConstraint(
                fields=["forbund", "year", "income_line"],
                condition=models.Q(income_line__isnull=False),
                name="prognosisoverride_unique_income",
            ),
        ]

    def __str__(self) -> str:
        return f"Prognos {self.year}: {self.amount}"
