"""Forms for members, board seats, bodies and board meetings. Validation rules live in the models."""

from __future__ import annotations

from django import forms

from apps.core.years import MAX_YEAR, MIN_YEAR

from .models import MONTHS, Medlem, Organ, Styrelseledamot, Styrelsemote

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MedlemForm(forms.ModelForm):
    class Meta:
        model = Medlem
        fields = ["name", "kind", "population", "population_date", "share_percent"]
        widgets = {"population_date": DATE}
        help_texts = {"population": "Bara för kommuner."}


class MedlemChoiceField(forms.ChoiceField):
    """Choose a member by public_id from a list read once; cleans to the Medlem (or None)."""

    def __init__(self, *, empty_label: str, **kwargs):
        self.empty_label = empty_label
        self.by_id: dict[str, Medlem] = {}
        super().__init__(**kwargs)

    def set_medlemmar(self, medlemmar) -> None:
        self.by_id = {str(m.public_id): m for m in medlemmar}
        self.choices = [("", self.empty_label)] + [(key, m.name) for key, m in self.by_id.items()]

    def clean(self, value):
        value = super().clean(value)
        return self.by_id.get(value) if value else None


class StyrelseledamotForm(forms.ModelForm):
    # Not a ModelChoiceField: its default queryset would be read outside the tenant scope.
    medlem = MedlemChoiceField(label="Representerar", empty_label="Välj medlem")

    def __init__(self, *args, medlemmar, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medlem"].set_medlemmar(medlemmar)
        if self.instance.medlem_id:
            self.initial["medlem"] = str(self.instance.medlem.public_id)

    class Meta:
        model = Styrelseledamot
        fields = ["person_name", "medlem", "seat", "chair_role", "mandate_start", "mandate_end"]
        widgets = {"mandate_start": DATE, "mandate_end": DATE}


class OrganForm(forms.ModelForm):
    class Meta:
        model = Organ
        fields = ["kind", "name", "purpose", "meetings_per_year"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}


class OrganMedlemForm(forms.Form):
    """Add a person to a body; member choices come from a list read once per page."""

    person_name = forms.CharField(label="Namn", max_length=200)
    medlem = MedlemChoiceField(label="Representerar", empty_label="Ingen medlemsorganisation", required=False)
    role = forms.CharField(label="Roll", max_length=200, required=False, help_text="T.ex. sammankallande.")

    def __init__(self, *args, medlemmar, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medlem"].set_medlemmar(medlemmar)


class StyrelsemoteForm(forms.ModelForm):
    month = forms.TypedChoiceField(
        label="Månad",
        choices=[("", "Ingen månad (datum anges)")] + MONTHS,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Anges när datumet inte är bestämt.",
    )

    class Meta:
        model = Styrelsemote
        fields = ["year", "date", "month", "items"]
        widgets = {"date": DATE, "items": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"items": "Ett ärende per rad, t.ex. ”Tertialrapport T1”."}


class YearForm(forms.Form):
    ar = forms.IntegerField(label="År", min_value=MIN_YEAR, max_value=MAX_YEAR)
