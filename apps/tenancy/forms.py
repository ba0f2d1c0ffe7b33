"""Forms for förbund, invitations and accepting an invitation."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation

from .converters import is_canonical_slug
from .models import Forbund, Role


class ForbundForm(forms.ModelForm):
    class Meta:
        model = Forbund
        fields = ["name", "slug", "org_nr"]
        help_texts = {"slug": "Används i adresser, t.ex. /f/samo/. Små bokstäver, siffror och bindestreck."}
        error_messages = {
            "name": {"unique": "Det finns redan ett förbund med det namnet."},
            "slug": {"unique": "Kortnamnet används redan av ett annat förbund."},
        }

    def clean_slug(self):
        # Addresses spell a förbund in lower case only (apps/tenancy/converters.py).
        slug = self.cleaned_data["slug"].strip().lower()
        if not is_canonical_slug(slug):
            raise forms.ValidationError(
                "Använd bara små bokstäver a–z, siffror, bindestreck och understreck."
            )
        return slug


class InvitationForm(forms.Form):
    email = forms.EmailField(label="E-postadress")
    role = forms.ChoiceField(label="Roll", choices=Role.choices)


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label="Förnamn", max_length=150)
    last_name = forms.CharField(label="Efternamn", max_length=150)
    password1 = forms.CharField(
        label="Lösenord", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Lösenord igen", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Lösenorden är inte likadana.")
        elif p1:
            # The account-to-be, so the similarity validator compares with its e-mail and names
            # exactly as when the password is changed later.
            user = get_user_model()(
                username=self.email,
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
