"""Forms of the utfall pages: upload, account mapping and prognosis."""

from __future__ import annotations

from django import forms

from apps.core.tabular import MAX_UPLOAD_BYTES


class UtfallUploadForm(forms.Form):
    year = forms.TypedChoiceField(label="År", coerce=int, help_text="Utfallet läses in mot årets budget.")
    file = forms.FileField(
        label="Fil",
        help_text="SIE4-fil (.se) från bokföringen, eller CSV/XLSX med kolumnerna Konto eller Budgetrad, "
        "År, Månad och Belopp. Högst 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".se,.si,.sie,.csv,.xlsx"}),
        error_messages={"empty": "Filen är tom.", "required": "Välj en fil att importera."},
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Filen är för stor. Den får vara högst 5 MB.")
        return upload


class AccountMappingForm(forms.Form):
    accounts = forms.CharField(
        label="Konto eller kontointervall",
        max_length=20,
        help_text="Till exempel 5010 eller 4000-4099.",
        error_messages={"required": "Ange ett konto eller ett intervall."},
    )
    line = forms.ChoiceField(
        label="Budgetrad",
        help_text="Kopplingen gäller även andra år: raden med samma kontokod och benämning används.",
        error_messages={"required": "Välj en budgetrad."},
    )

    def __init__(self, *args, line_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [("", "Välj budgetrad"), *line_choices]


class PrognosisForm(forms.Form):
    amount = forms.IntegerField(
        label="Prognos för helåret (kr)",
        error_messages={"required": "Ange prognosen i hela kronor.", "invalid": "Ange ett heltal."},
    )
    comment = forms.CharField(
        label="Kommentar",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Varför prognosen avviker från framskrivningen.",
        error_messages={"required": "Skriv en kommentar som förklarar prognosen."},
    )
