"""The form of the "start next year" page: which year to copy from."""

from __future__ import annotations

from django import forms


class YearStartForm(forms.Form):
    """Choose the year to copy from among the years that have data."""

    fran = forms.TypedChoiceField(
        label="Kopiera från år",
        coerce=int,
        error_messages={
            "required": "Välj vilket år som ska kopieras.",
            "invalid_choice": "Välj ett år som har innehåll att kopiera.",
        },
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["fran"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(y, str(y)) for y in years]
