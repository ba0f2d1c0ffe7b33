"""Forms of the tertial report pages: input only, the services write."""

from __future__ import annotations

from django import forms

from apps.core.years import MAX_YEAR, MIN_YEAR, YEAR_ERRORS

from .models import TERTIALS, GoalStatus, Section

MARKDOWN_HELP = (
    "Skriv i Markdown: tom rad mellan stycken, **fetstil**, *kursiv*, ”- ” för punktlista, "
    "”# ” för underrubrik och [text](https://adress) för länkar."
)


class ReportCreateForm(forms.Form):
    """The period of a report made by hand."""

    year = forms.IntegerField(
        label="År",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "required": "Ange vilket år rapporten gäller.",
            "invalid": "Ange ett årtal, till exempel 2026.",
            **YEAR_ERRORS,
        },
    )
    tertial = forms.TypedChoiceField(
        label="Tertial",
        coerce=int,
        choices=[(n, f"{name} ({months})") for n, (name, months, _) in TERTIALS.items()],
        error_messages={"required": "Välj tertial.", "invalid_choice": "Välj T1, T2 eller T3."},
    )


class SummaryForm(forms.Form):
    """The förbundschef's summary."""

    summary_markdown = forms.CharField(
        label="Sammanfattning",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=MARKDOWN_HELP,
    )


class AssessmentForm(forms.Form):
    """Status, value and comment of one delmål (prefix: the delmål's public id)."""

    status = forms.ChoiceField(label="Status", required=False)
    value = forms.DecimalField(
        label="Värde för perioden",
        required=False,
        max_digits=14,
        decimal_places=2,
        localize=True,
        error_messages={"invalid": "Ange ett tal, till exempel 85 eller 4,5."},
    )
    comment = forms.CharField(label="Kommentar", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, computed: bool, proposed: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        blank = f"Systemets förslag ({GoalStatus(proposed).label.lower()})" if proposed else "– Välj status –"
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", blank), *GoalStatus.choices]
        if computed:
            # The value is computed from the product's data; only status and comment are typed.
            del self.fields["value"]


class InsatsReportForm(forms.Form):
    """The short report of one insats."""

    text = forms.CharField(
        label="Insatsrapport",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "Några meningar om hur insatsen gått under perioden. Skriv inga uppgifter om enskilda deltagare."
        ),
        error_messages={"max_length": "Skriv högst 4 000 tecken."},
    )


class CommentForm(forms.Form):
    """A board member's comment on a section."""

    section = forms.ChoiceField(label="Avsnitt", choices=Section.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        label="Synpunkt",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Skriv din synpunkt.", "max_length": "Skriv högst 4 000 tecken."},
    )


class AnswerForm(forms.Form):
    """The kansli's answer to a comment."""

    answer = forms.CharField(
        label="Svar",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Skriv ett svar.", "max_length": "Skriv högst 4 000 tecken."},
    )


class DecisionForm(forms.Form):
    """The board's decision on a sent report: approved, or returned with a comment."""

    APPROVE, RETURN = "godkand", "aterremitterad"

    decision = forms.ChoiceField(
        label="Beslut",
        choices=[("", "– Välj beslut –"), (APPROVE, "Godkänd"), (RETURN, "Återremitterad")],
        error_messages={"required": "Välj styrelsens beslut."},
    )
    meeting = forms.ModelChoiceField(
        label="Styrelsemöte",
        queryset=None,
        required=False,
        empty_label="– Mötet finns inte i årsplaneringen –",
        help_text="Välj mötet i styrelsens årsplanering, eller ange datumet nedan.",
        error_messages={"invalid_choice": "Välj ett möte i listan."},
    )
    decided_on = forms.DateField(
        label="Mötesdatum",
        required=False,
        help_text="ÅÅÅÅ-MM-DD. Behövs inte när du har valt ett möte.",
        error_messages={"invalid": "Ange datumet som ÅÅÅÅ-MM-DD."},
    )
    decision_paragraph = forms.CharField(
        label="Paragraf i protokollet", max_length=50, required=False, help_text="Till exempel § 12."
    )
    return_comment = forms.CharField(
        label="Motivering vid återremiss",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Vad ska kansliet komplettera eller ändra?",
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = meetings
        field.label_from_instance = lambda m: (
            f"{m.date:%Y-%m-%d}" + (f" – {m.item_list[0]}" if m.item_list else "")
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("return_comment") or "").strip():
            self.add_error("return_comment", "Skriv varför rapporten återremitteras.")
        return data
