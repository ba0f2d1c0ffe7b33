"""Forms for insatser: they validate input only; services do the writing."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.text import capfirst

from apps.members.selectors import medlem_list
from apps.tenancy.models import Forbund

from . import selectors
from .models import Insats, InsatsSettings, InsatsStatus, InsatsYear, Plattform
from .services import INSATS_DESCRIPTION_FIELDS, INSATS_YEAR_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def tenant_formfield(field, **kwargs):
    """Form fields for a ModelForm; FK choices are set per förbund in __init__, not at import."""
    if isinstance(field, models.ForeignKey):
        return forms.ModelChoiceField(
            queryset=None,
            label=capfirst(field.verbose_name),
            required=not field.blank,
            help_text=field.help_text,
        )
    return field.formfield(**kwargs)


class InsatsForm(forms.ModelForm):
    medparter = forms.ModelMultipleChoiceField(
        label="Medparter", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Insats
        formfield_callback = tenant_formfield
        # The service's fields, with medparter after the verksamhetsägare.
        fields = [*INSATS_DESCRIPTION_FIELDS[:4], "medparter", *INSATS_DESCRIPTION_FIELDS[4:]]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "ovriga_medparter": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, forbund, **kwargs):
        super().__init__(*args, **kwargs)
        members = medlem_list(forbund=forbund)
        self.fields["verksamhetsagare"].queryset = members
        self.fields[
            "verksamhetsagare"
        ].help_text = "Lämna tomt och fyll i nästa fält om ägaren inte är medlem."
        self.fields["verksamhetsagare"].empty_label = "– Ingen medlem (ange annan verksamhetsägare) –"
        self.fields["medparter"].queryset = members
        self.fields["plattform"].queryset = selectors.plattform_list(forbund=forbund)
        if self.instance.pk and not self.is_bound:
            self.initial["medparter"] = list(
                selectors.insats_medparter(forbund=forbund, insats=self.instance).values_list("pk", flat=True)
            )


class InsatsYearForm(forms.ModelForm):
    class Meta:
        model = InsatsYear
        fields = list(INSATS_YEAR_FIELDS)
        widgets = {
            "avtal_start": DateInput(),
            "avtal_end": DateInput(),
            "avtal_signed_date": DateInput(),
            "avtal_parties": forms.Textarea(attrs={"rows": 2}),
        }


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label="Ny status")
    decision_date = forms.DateField(
        label="Beslutsdatum",
        required=False,
        widget=DateInput(),
        help_text="Krävs när styrelsen beviljar eller avslår.",
    )
    decision_paragraph = forms.CharField(
        label="Paragraf i protokollet",
        max_length=50,
        required=False,
        help_text="Till exempel § 12. Krävs när styrelsen beviljar.",
    )

    def __init__(self, *args, allowed, numbers_paragraphs=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(value, InsatsStatus(value).label) for value in allowed]
        if not numbers_paragraphs:
            # The förbund does not number its minutes: nothing to ask for.
            del self.fields["decision_paragraph"]


class StaffForm(forms.Form):
    user = forms.ModelChoiceField(label="Plattformspersonal", queryset=None)

    def __init__(self, *args, forbund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.plattform_staff_users(forbund=forbund)
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class PlattformForm(forms.ModelForm):
    class Meta:
        model = Plattform
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class GrantRequirementForm(forms.Form):
    required = forms.BooleanField(
        label=capfirst(Forbund._meta.get_field("require_plan_before_grant").verbose_name),
        required=False,
        help_text=(
            "När rutan är ikryssad kan en insats inte beviljas förrän den har både "
            "genomförandeplan och riskanalys."
        ),
    )
    numbers_paragraphs = forms.BooleanField(
        label=capfirst(InsatsSettings._meta.get_field("numbers_paragraphs").verbose_name),
        required=False,
        help_text=InsatsSettings._meta.get_field("numbers_paragraphs").help_text,
    )
