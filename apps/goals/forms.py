"""Forms for målområden and delmål: fields and labels only; rules live in the services."""

from __future__ import annotations

from django import forms

from apps.insatser.models import Insats

from .models import Delmal, IndicatorKind, Malomrade
from .services import DELMAL_TEXT_FIELDS


class MalomradeForm(forms.ModelForm):
    class Meta:
        model = Malomrade
        fields = ["number", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class DelmalForm(forms.ModelForm):
    class Meta:
        model = Delmal
        # "insats" is added in __init__: building its choices on the class would query
        # the tenant manager at import time, outside any scope.
        fields = ["number", *DELMAL_TEXT_FIELDS[:2], "indicator_kind", *DELMAL_TEXT_FIELDS[2:]]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "indicator": forms.Textarea(attrs={"rows": 2}),
            "utvarderingsmetod": forms.Textarea(attrs={"rows": 2}),
        }
        localized_fields = ["target_value", "target_value_max", "baseline_value"]

    def __init__(self, *args, forbund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].help_text = "Lämna tomt för att lägga delmålet sist."
        # Built here, not on the class: the tenant manager refuses queries outside a scope.
        self.fields["insats"] = forms.ModelChoiceField(
            queryset=Insats.objects.filter(forbund=forbund).order_by("name"),
            to_field_name="public_id",
            required=False,
            label="Insats",
            help_text="Ange en insats om delmålet är insatsspecifikt; lämna tomt för förbundets mål.",
            empty_label="– Förbundets mål (ingen insats) –",
        )
        kind = self.fields["indicator_kind"]
        kind.required = False  # blank means "manual", so older forms and imports keep working
        kind.help_text = (
            "Välj en beräknad indikator för att visa resultatet från budget och utfall, deltagare, "
            "antal eller enkäter (för förbundet, eller för insatsen om en insats är vald). "
            "För eget kapital anges målvärdet som procent med jämförelsen ”högst”."
        )
        self.order_fields(["number", "text", "insats"])
        if self.instance.pk and self.instance.insats_id:
            self.initial["insats"] = str(self.instance.insats.public_id)

    def service_fields(self) -> dict:
        """The cleaned values to hand to a service (a blank number means "keep" or "last")."""
        data = dict(self.cleaned_data)
        if data.get("number") is None:
            data.pop("number", None)
        if not data.get("indicator_kind"):
            data["indicator_kind"] = IndicatorKind.MANUAL
        return data
