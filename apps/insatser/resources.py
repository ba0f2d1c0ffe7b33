"""Import and export of insatser with one row per insats and year, through the insats services."""

from __future__ import annotations

from apps.core.tabular import BIGINT_MAX, INT_MAX, SMALLINT_MAX
from apps.dataio.base import (
    NEW,
    SKIP,
    UPDATE,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntWidget,
    RowInvalid,
    TenantResource,
    changed,
    column,
)
from apps.members.models import Medlem

from . import services
from .models import Insats, InsatsKind, InsatsStatus, InsatsYear, Plattform

INSATS_FIELDS = (
    "kind",
    "verksamhetsagare_annan",
    "ovriga_medparter",
    "description",
    "malgrupp",
    "start_date",
    "end_date",
    "period_volume",
    "contact_name",
)
YEAR_FIELDS = ("budget_amount", "financed_fte", "budgeted_volume")
RANK = {SKIP: 0, UPDATE: 1, NEW: 2}


class InsatsResource(TenantResource):
    """One row per insats and year; an insats without year rows gets one row with no year."""

    name = column("insats__name", "Insats")
    kind = column("insats__kind", "Typ", ChoiceWidget(InsatsKind.choices))
    owner = column("insats__verksamhetsagare__name", "Verksamhetsägare")
    owner_other = column("insats__verksamhetsagare_annan", "Annan verksamhetsägare")
    other_medparter = column("insats__ovriga_medparter", "Andra medparter")
    plattform = column("insats__plattform__name", "Plattform")
    status = column("insats__status", "Status", ChoiceWidget(InsatsStatus.choices))
    description = column("insats__description", "Beskrivning")
    malgrupp = column("insats__malgrupp", "Målgrupp")
    start_date = column("insats__start_date", "Startdatum", DateWidget())
    end_date = column("insats__end_date", "Slutdatum", DateWidget())
    period_volume = column("insats__period_volume", "Volym för hela perioden", IntWidget())
    contact_name = column("insats__contact_name", "Kontaktperson")
    year = column("row__year", "År", IntWidget(0, SMALLINT_MAX))
    budget_amount = column("row__budget_amount", "Budget (kr)", IntWidget(0, BIGINT_MAX))
    financed_fte = column("row__financed_fte", "Finansierade årsarbetare", DecimalWidget())
    budgeted_volume = column("row__budgeted_volume", "Budgeterad volym", IntWidget(0, INT_MAX))

    required_columns = ("Insats", "Verksamhetsägare", "År")
    error_columns = {
        "verksamhetsagare": "Verksamhetsägare",
        "verksamhetsagare_annan": "Annan verksamhetsägare",
        "name": "Insats",
        "year": "År",
    }

    def export_rows(self):
        insatser = (
            Insats.objects.filter(forbund=self.forbund)
            .select_related("verksamhetsagare", "plattform")
            .order_by("kind", "name")
        )
        years: dict[int, list[InsatsYear]] = {}
        for row in InsatsYear.objects.filter(forbund=self.forbund).order_by("year"):
            years.setdefault(row.insats_id, []).append(row)
        return [{"insats": insats, "row": row} for insats in insatser for row in years.get(insats.pk, [None])]

    def row_key(self, values):
        name = values.get("insats__name")
        return (name, values.get("row__year")) if name else None

    def row_label(self, values):
        year = values.get("row__year")
        return f"{values.get('insats__name', '')} {year or ''}".strip()

    def _lookup(self, values):
        fields = {name: values[f"insats__{name}"] for name in INSATS_FIELDS if f"insats__{name}" in values}
        owner = values.get("insats__verksamhetsagare__name", "")
        if owner:
            medlem = Medlem.objects.filter(forbund=self.forbund, name=owner).first()
            if medlem is None:
                raise RowInvalid(
                    ("Verksamhetsägare", f"Det finns ingen medlem som heter ”{owner}” i förbundet.")
                )
            fields["verksamhetsagare"] = medlem
        if "insats__plattform__name" in values:
            name = values["insats__plattform__name"]
            plattform = Plattform.objects.filter(forbund=self.forbund, name=name).first() if name else None
            if name and plattform is None:
                raise RowInvalid(("Plattform", f"Det finns ingen plattform som heter ”{name}” i förbundet."))
            fields["plattform"] = plattform
        return fields

    def apply_row(self, values):
        name = values["insats__name"]
        fields = self._lookup(values)
        status = values.get("insats__status", "")
        insats = Insats.objects.filter(forbund=self.forbund, name=name).first() if name else None
        if insats is None:
            if "verksamhetsagare" not in fields and not fields.get("verksamhetsagare_annan"):
                raise RowInvalid(("Verksamhetsägare", "Ange verksamhetsägare för en ny insats."))
            if status:
                fields["status"] = status
            insats = services.insats_create(forbund=self.forbund, actor=self.actor, name=name, **fields)
            action = NEW
        else:
            if status and status != insats.status:
                raise RowInvalid(
                    (
                        "Status",
                        f"Insatsen har status ”{insats.get_status_display()}”. Status ändras på insatsens "
                        "sida, inte genom import.",
                    )
                )
            action = SKIP
            if changed(insats, fields):
                services.insats_update(forbund=self.forbund, actor=self.actor, insats=insats, **fields)
                action = UPDATE
        year_action = self._apply_year(insats, values)
        return max(action, year_action, key=RANK.__getitem__)

    def _apply_year(self, insats, values):
        year = values.get("row__year")
        fields = {name: values[f"row__{name}"] for name in YEAR_FIELDS if f"row__{name}" in values}
        if year is None:
            if any(value is not None for value in fields.values()):
                raise RowInvalid(("År", "Ange vilket år budget, årsarbetare och volym gäller."))
            return SKIP
        row = InsatsYear.objects.filter(forbund=self.forbund, insats=insats, year=year).first()
        if row is None:
            services.insats_year_create(
                forbund=self.forbund, actor=self.actor, insats=insats, year=year, **fields
            )
            return NEW
        if not changed(row, fields):
            return SKIP
        services.insats_year_update(forbund=self.forbund, actor=self.actor, insats_year=row, **fields)
        return UPDATE
