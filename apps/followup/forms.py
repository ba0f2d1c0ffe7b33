"""Input of the follow-up pages (no writes here; the views call the services)."""

from __future__ import annotations

from django import forms

from .codes import EXPLANATION, validate_code
from .models import CategoryList, Kon, Rater, Remittent

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeltagareForm(forms.Form):
    """Add or change a participant: a code, never anything that identifies the person."""

    code = forms.CharField(
        label="Kod",
        max_length=30,
        validators=[validate_code],
        help_text="En kod ni väljer, till exempel SC-014. " + EXPLANATION + " Skriv aldrig "
        "personnummer, samordningsnummer, namn, e-post eller telefonnummer: förbundet får inte "
        "hålla personuppgifter om deltagarna.",
    )
    kon = forms.ChoiceField(label="Kön", choices=Kon.choices)
    birth_year = forms.IntegerField(
        label="Födelseår",
        required=False,
        min_value=1900,
        max_value=2100,
        help_text="Frivilligt. Visas bara som åldersgrupp.",
    )
    start_date = forms.DateField(label="Startdatum", widget=DATE)
    remittent = forms.ChoiceField(label="Remitterande part", choices=Remittent.choices)
    remittent_medlem = forms.ModelChoiceField(
        label="Remitterande medlem", queryset=None, required=False, help_text="När en medlem remitterade."
    )
    forsorjning_start = forms.ModelChoiceField(label="Försörjning vid start", queryset=None, required=False)

    def __init__(self, *args, forbund, medlemmar, forsorjning, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remittent_medlem"].queryset = medlemmar
        self.fields["forsorjning_start"].queryset = forsorjning


class AvslutForm(forms.Form):
    """End a participation."""

    end_date = forms.DateField(label="Slutdatum", widget=DATE)
    avslutsorsak = forms.ModelChoiceField(label="Avslutsorsak", queryset=None)
    sysselsattning_slut = forms.ModelChoiceField(
        label="Sysselsättning vid avslut", queryset=None, required=False
    )
    forsorjning_slut = forms.ModelChoiceField(label="Försörjning vid avslut", queryset=None, required=False)

    def __init__(self, *args, avslut, sysselsattning, forsorjning, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["avslutsorsak"].queryset = avslut
        self.fields["sysselsattning_slut"].queryset = sysselsattning
        self.fields["forsorjning_slut"].queryset = forsorjning


class StepsHeaderForm(forms.Form):
    """The date and rater of a group's steps recorded in one submit."""

    date = forms.DateField(label="Datum", widget=DATE)
    rater = forms.ChoiceField(label="Vems bedömning", choices=Rater.choices, initial=Rater.PERSONAL)


class CodeLookupForm(forms.Form):
    kod = forms.CharField(label="Deltagarens kod", max_length=30)


class CategoryForm(forms.Form):
    kind = forms.ChoiceField(label="Lista", choices=CategoryList.choices)
    label = forms.CharField(label="Benämning", max_length=100)


class StepForm(forms.Form):
    label = forms.CharField(label="Nytt steg", max_length=100)
    description = forms.CharField(label="Beskrivning", required=False, max_length=500)


class RetentionForm(forms.Form):
    retention_months = forms.IntegerField(
        label="Radera deltagare så många månader efter slutdatum",
        min_value=12,
        max_value=120,
        help_text="Minst 12 och högst 120 månader. Statistiken sparas som summor innan raderna tas bort.",
    )
