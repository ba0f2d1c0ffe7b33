"""The upload form: which dataset, and the file."""

from __future__ import annotations

from django import forms

from .files import MAX_UPLOAD_BYTES


class UploadForm(forms.Form):
    dataset = forms.ChoiceField(label="Vad vill du importera?")
    file = forms.FileField(
        label="Fil",
        help_text="CSV (UTF-8, semikolon- eller kommaavgränsad) eller XLSX, högst 5 MB. "
        "Första raden ska vara kolumnrubrikerna, som i en exporterad fil.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={"empty": "Filen är tom.", "required": "Välj en fil att importera."},
    )

    def __init__(self, *args, datasets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = [(spec.key, spec.label) for spec in datasets]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Filen är för stor. Den får vara högst 5 MB.")
        return upload
