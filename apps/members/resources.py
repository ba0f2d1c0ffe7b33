"""Import and export of the förbund's members (medlemmar) through the members services."""

from __future__ import annotations

from apps.core.tabular import INT_MAX
from apps.dataio.base import (
    NEW,
    SKIP,
    UPDATE,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntWidget,
    TenantResource,
    changed,
    column,
)

from . import selectors, services
from .models import Medlem, MedlemKind


class MedlemResource(TenantResource):
    """One row per member, keyed by its name within the förbund."""

    name = column("name", "Namn")
    kind = column("kind", "Typ", ChoiceWidget(MedlemKind.choices))
    population = column("population", "Folkmängd", IntWidget(0, INT_MAX))
    population_date = column("population_date", "Folkmängd per", DateWidget())
    share_percent = column("share_percent", "Fast andel (%)", DecimalWidget())

    required_columns = ("Namn", "Typ")

    def export_rows(self):
        return selectors.medlem_list(forbund=self.forbund)

    def row_key(self, values):
        return values.get("name") or None

    def row_label(self, values):
        return values.get("name", "")

    def apply_row(self, values):
        name = values.pop("name")
        existing = Medlem.objects.filter(forbund=self.forbund, name=name).first() if name else None
        if existing is None:
            services.medlem_create(forbund=self.forbund, actor=self.actor, name=name, **values)
            return NEW
        if not changed(existing, values):
            return SKIP
        services.medlem_update(forbund=self.forbund, actor=self.actor, medlem=existing, **values)
        return UPDATE
