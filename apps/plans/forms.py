"""The form of the "start next year" page: which year to copy from."""

from __future__ import annotations

from django import forms

from apps.core.years import MAX_YEAR, MIN_YEAR, YEAR_ERRORS

from .models import SignatureMode


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


class PlanCreateForm(forms.Form):
    """The year of a new verksamhetsplan."""

    year = forms.IntegerField(
        label="År",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "required": "Ange vilket år planen gäller.",
            "invalid": "Ange ett årtal, till exempel 2027.",
            **YEAR_ERRORS,
        },
    )


PERIOD_ERRORS = {"invalid": "Ange ett årtal, till exempel 2020.", **YEAR_ERRORS}


class PlanPeriodForm(forms.Form):
    """The years a multi-year plan covers (both empty for a plan of one year)."""

    period_start = forms.IntegerField(
        label="Planperiod från",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        required=False,
        error_messages=PERIOD_ERRORS,
    )
    period_end = forms.IntegerField(
        label="Planperiod till",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        required=False,
        error_messages=PERIOD_ERRORS,
        help_text="För en flerårig plan, till exempel 2018–2020. Lämna tomt för en plan för ett år.",
    )


class SignatureForm(forms.Form):
    """Who signs the version."""

    signature_mode = forms.ChoiceField(label="Vem skriver under", choices=SignatureMode.choices)
    justerare_1 = forms.CharField(
        label="Justerare",
        max_length=200,
        required=False,
        help_text="Anges när ordföranden och justerare skriver under.",
    )
    justerare_2 = forms.CharField(label="Andra justerare (valfri)", max_length=200, required=False)


class SectionMoveForm(forms.Form):
    """Move a section to a numbered place in one step."""

    position = forms.TypedChoiceField(label="Flytta till plats", coerce=int)

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["position"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(n, str(n)) for n in range(1, count + 1)]


class SectionForm(forms.Form):
    """A section's title and, for a narrative section, its Markdown."""

    title = forms.CharField(label="Rubrik", max_length=200, error_messages={"required": "Ange en rubrik."})
    body_markdown = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=(
            "Skriv i Markdown: tom rad mellan stycken, **fetstil**, *kursiv*, ”- ” för punktlista, "
            "”# ” för underrubrik och [text](https://adress) för länkar."
        ),
    )

    is_appendix = forms.BooleanField(
        label="Bilaga",
        required=False,
        help_text="Bilagor kommer efter underskrifterna, numrerade Bilaga 1, 2 …",
    )

    def __init__(self, *args, narrative: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not narrative:
            del self.fields["body_markdown"]


class SectionAddForm(forms.Form):
    """A new section: a title and what it holds (own text or data from the system)."""

    title = forms.CharField(label="Rubrik", max_length=200, error_messages={"required": "Ange en rubrik."})
    content = forms.ChoiceField(
        label="Innehåll", error_messages={"invalid_choice": "Välj ett innehåll i listan."}
    )
    is_appendix = forms.BooleanField(
        label="Bilaga",
        required=False,
        help_text="Bilagor kommer efter underskrifterna, numrerade Bilaga 1, 2 …",
    )

    def __init__(self, *args, data_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["content"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Egen text")] + [(key, f"Uppgifter: {title}") for key, title in data_choices]
        field.required = False


class AdoptForm(forms.Form):
    """The board's decision that adopts a version."""

    adopted_on = forms.DateField(
        label="Beslutsdatum",
        help_text="Till exempel 2026-11-30.",
        error_messages={"required": "Ange datum för beslutet.", "invalid": "Ange datumet som ÅÅÅÅ-MM-DD."},
    )
    decision_paragraph = forms.CharField(
        label="Paragraf i protokollet", max_length=50, required=False, help_text="Till exempel § 45."
    )
    adopted_by = forms.CharField(label="Fastställd av", max_length=100, initial="styrelsen")


class CommentForm(forms.Form):
    """A remiss comment on a section."""

    text = forms.CharField(
        label="Synpunkt",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Skriv din synpunkt."},
    )


class AnswerForm(forms.Form):
    """The kansli's answer to a comment."""

    answer = forms.CharField(label="Svar", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    resolve = forms.BooleanField(label="Markera som åtgärdad", required=False)
