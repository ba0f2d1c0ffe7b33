"""Import and export of delmål (with their målområde) through the goals services."""

from __future__ import annotations

from apps.core.tabular import SMALLINT_MAX
from apps.dataio.base import (
    NEW,
    SKIP,
    UPDATE,
    ChoiceWidget,
    DecimalWidget,
    IntWidget,
    RowInvalid,
    TenantResource,
    changed,
    column,
)

from . import services
from .models import Comparator, DataSource, Delmal, Malomrade, TargetUnit, Tidpunkt

DELMAL_COLUMNS = services.DELMAL_TEXT_FIELDS


class DelmalResource(TenantResource):
    """One row per delmål; its målområde is found by year and number, or created with its title."""

    year = column("malomrade__year", "År", IntWidget(0, SMALLINT_MAX))
    malomrade = column("malomrade__number", "Målområde", IntWidget(0, SMALLINT_MAX))
    malomrade_title = column("malomrade__title", "Målområdets rubrik")
    number = column("number", "Delmål", IntWidget(0, SMALLINT_MAX))
    text = column("text", "Text")
    indicator = column("indicator", "Indikator")
    target_comparator = column("target_comparator", "Jämförelse", ChoiceWidget(Comparator.choices))
    target_value = column("target_value", "Målvärde", DecimalWidget())
    target_value_max = column("target_value_max", "Målvärde, övre gräns", DecimalWidget())
    target_text = column("target_text", "Mål i fritext")
    target_unit = column("target_unit", "Enhet", ChoiceWidget(TargetUnit.choices))
    target_unit_text = column("target_unit_text", "Enhet i fritext")
    baseline_year = column("baseline_year", "Basår", IntWidget(0, SMALLINT_MAX))
    baseline_value = column("baseline_value", "Basvärde", DecimalWidget())
    utvarderingsmetod = column("utvarderingsmetod", "Utvärderingsmetod")
    tidpunkt = column("tidpunkt", "Tidpunkt", ChoiceWidget(Tidpunkt.choices))
    data_source = column("data_source", "Datakälla", ChoiceWidget(DataSource.choices))
    responsible = column("responsible", "Ansvarig")
    insats = column("insats__name", "Insats")

    required_columns = ("År", "Målområde", "Delmål", "Text")
    error_columns = {"title": "Målområdets rubrik"}

    def export_rows(self):
        return (
            Delmal.objects.filter(forbund=self.forbund)
            .select_related("malomrade", "insats")
            .order_by("malomrade__year", "malomrade__number", "number")
        )

    def row_key(self, values):
        key = (values.get("malomrade__year"), values.get("malomrade__number"), values.get("number"))
        return None if None in key else key

    def row_label(self, values):
        year, area, number = (values.get(k) for k in ("malomrade__year", "malomrade__number", "number"))
        return f"{year} delmål {area}.{number}" if None not in (year, area, number) else ""

    def _malomrade(self, values):
        year, number = values.get("malomrade__year"), values.get("malomrade__number")
        missing = [
            (col, f"Ange {col.lower()}.") for col, v in (("År", year), ("Målområde", number)) if v is None
        ]
        if missing:
            raise RowInvalid(*missing)
        title = values.get("malomrade__title", "")
        malomrade = Malomrade.objects.filter(forbund=self.forbund, year=year, number=number).first()
        if malomrade is None:
            if not title:
                raise RowInvalid(
                    (
                        "Målområdets rubrik",
                        f"Målområde {number} för {year} finns inte. Ange dess rubrik så skapas det.",
                    )
                )
            created = services.malomrade_create(
                forbund=self.forbund, actor=self.actor, year=year, number=number, title=title
            )
            return created, NEW
        if title and title != malomrade.title:
            services.malomrade_update(
                forbund=self.forbund, malomrade=malomrade, actor=self.actor, title=title
            )
            return malomrade, UPDATE
        return malomrade, SKIP

    def _insats(self, values):
        from apps.insatser.models import Insats

        name = values.get("insats__name", "")
        if not name:
            return None
        insats = Insats.objects.filter(forbund=self.forbund, name=name).first()
        if insats is None:
            raise RowInvalid(("Insats", f"Det finns ingen insats som heter ”{name}” i förbundet."))
        return insats

    def apply_row(self, values):
        number = values.get("number")
        if number is None:
            raise RowInvalid(("Delmål", "Ange delmålets nummer."))
        fields = {name: values[name] for name in DELMAL_COLUMNS if name in values}
        if "insats__name" in values:
            fields["insats"] = self._insats(values)
        malomrade, action = self._malomrade(values)
        delmal = Delmal.objects.filter(forbund=self.forbund, malomrade=malomrade, number=number).first()
        if delmal is None:
            text = fields.pop("text", "")
            services.delmal_create(
                forbund=self.forbund,
                malomrade=malomrade,
                actor=self.actor,
                text=text,
                number=number,
                **fields,
            )
            return NEW
        if changed(delmal, fields):
            services.delmal_update(forbund=self.forbund, delmal=delmal, actor=self.actor, **fields)
            return UPDATE
        return action
