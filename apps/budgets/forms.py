"""Forms of the budget pages. Validation rules live in the models and services."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from apps.core.formatting import format_kronor

from .models import Budget, CostLine, IncomeLine
from .services import BUDGET_FIELDS


class BudgetCreateForm(forms.ModelForm):
    class Meta:
        model = Budget
        fields = ["year", *BUDGET_FIELDS[:5]]


class BudgetSettingsForm(forms.ModelForm):
    class Meta:
        model = Budget
        fields = list(BUDGET_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class IncomeLineForm(forms.ModelForm):
    class Meta:
        model = IncomeLine
        fields = ["kind", "name", "amount"]


class ObjectChoiceField(forms.ChoiceField):
    """Choose an object by public_id from a list read once; cleans to the object (or None)."""

    def __init__(self, *, empty_label: str, **kwargs):
        self.empty_label = empty_label
        self.by_id: dict[str, object] = {}
        super().__init__(**kwargs)

    def set_objects(self, objects, label=str) -> None:
        self.by_id = {str(o.public_id): o for o in objects}
        self.choices = [("", self.empty_label)] + [(key, label(o)) for key, o in self.by_id.items()]

    def clean(self, value):
        value = super().clean(value)
        return self.by_id.get(value) if value else None


class CostLineForm(forms.ModelForm):
    # Not ModelChoiceFields: their default querysets would be read outside the tenant scope.
    parent = ObjectChoiceField(label="Huvudrad", empty_label="Ingen (egen huvudrad)", required=False)
    insats = ObjectChoiceField(
        label="Insats",
        empty_label="Ingen insats",
        required=False,
        help_text="En rad kopplad till en insats får beloppet från insatsens budget för året.",
    )

    def __init__(self, *args, parents, insatser, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].set_objects([p for p in parents if p.pk != self.instance.pk])
        self.fields["insats"].set_objects(insatser)
        if self.instance.parent_id:
            self.initial["parent"] = str(self.instance.parent.public_id)
        if self.instance.insats_id:
            self.initial["insats"] = str(self.instance.insats.public_id)

    class Meta:
        model = CostLine
        fields = ["parent", "account_code", "name", "amount", "insats", "is_reserve"]


class LongTermYearForm(forms.Form):
    """A following year's scenario and an amount field per cost line, sub-lines included."""

    state_change_percent = forms.DecimalField(
        label="Förändring av statens tilldelning (%)",
        max_digits=5,
        decimal_places=2,
        initial=Decimal("-10"),
        help_text="Jämfört med året före. Lagen tillåter som mest −10 % per år.",
    )
    eget_kapital_use = forms.IntegerField(
        label="Planerad användning av eget kapital (kr)", min_value=0, initial=0
    )

    def __init__(self, *args, lines, carried: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        parents = {line.parent_id for line in lines if line.parent_id}
        names = {line.pk: str(line) for line in lines}
        for line in lines:
            label = f"{names[line.parent_id]} – {line}" if line.parent_id in names else str(line)
            carried_amount = format_kronor(carried.get(line.pk, 0))
            help_text = f"Lämna tomt för att föra över årets belopp ({carried_amount})."
            if line.pk in parents:
                help_text += " Har någon underrad ett eget belopp blir raden summan av underraderna."
            self.fields[f"line_{line.public_id.hex}"] = forms.IntegerField(
                label=f"{label} (kr)", min_value=0, required=False, help_text=help_text
            )

    def overrides(self) -> dict:
        """Cost line -> amount (None = carried forward)."""
        return {line: self.cleaned_data.get(f"line_{line.public_id.hex}") for line in self.lines}
