"""The code fields of the second-factor pages."""

from __future__ import annotations

from django import forms


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Kod",
        help_text="Sex siffror från autentiseringsappen, eller en av dina reservkoder.",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
        error_messages={"required": "Skriv koden."},
    )


class SetupForm(forms.Form):
    code = forms.CharField(
        label="Kod från appen",
        help_text="De sex siffror som appen visar just nu.",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Skriv koden som appen visar."},
    )
