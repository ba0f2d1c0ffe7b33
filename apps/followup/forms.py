"""Input of the follow-up pages (no writes here; the views call the services)."""

from __future__ import annotations

from django import forms

from apps.core.formatting import MONTH_NAMES

from .codes import EXPLANATION, validate_code
from .models import CategoryList, Kon, Mode, Period, Rater, Remittent, SurveyKind

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


# --- How an insats is followed up, counts and surveys -----------------------------------------


class InsatsFollowupForm(forms.Form):
    """The follow-up mode of an insats' year and the step scale the insats uses."""

    mode = forms.ChoiceField(
        label="Uppföljning",
        choices=Mode.choices,
        help_text="Deltagare: pseudonyma register med stegförflyttning (individinriktade insatser). "
        "Antal: bara antal per månad och kön (strukturinriktade insatser, eller när förbundet inte "
        "för register).",
    )
    step_scale = forms.ModelChoiceField(
        label="Stegskala",
        queryset=None,
        required=False,
        empty_label="– Förbundets första stegskala –",
        help_text="Gäller insatsen alla år. Den kan inte bytas när deltagare har bedömts på den nuvarande.",
    )

    def __init__(self, *args, scales, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step_scale"].queryset = scales


PEOPLE_MEASURES = (("new", "Nya"), ("active", "Aktiva"), ("ended", "Avslutade"))
COUNT_MAX = 100_000


class CountsForm(forms.Form):
    """One grid of monthly counts: rows are months; columns are measures (for one gender) or genders.

    ``columns`` is [(key, heading)]; the field of month m and column c is ``m{m}-{c}``.
    """

    def __init__(self, *args, columns: list[tuple[str, str]], suffix: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        for month, name in enumerate(MONTH_NAMES, 1):
            for key, heading in columns:
                self.fields[f"m{month}-{key}"] = forms.IntegerField(
                    label=f"{heading} i {name} ({suffix})",
                    required=False,
                    min_value=0,
                    max_value=COUNT_MAX,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 5}),
                    error_messages={
                        "invalid": "Skriv ett heltal.",
                        "min_value": "Antalet kan inte vara negativt.",
                        "max_value": f"Högst {COUNT_MAX:,} per månad.".replace(",", "\u00a0"),
                    },
                )

    def clean(self):
        data = super().clean()
        keys = {key for key, _ in self.columns}
        if {"new", "active"} <= keys:
            for month, name in enumerate(MONTH_NAMES, 1):
                new, active = data.get(f"m{month}-new") or 0, data.get(f"m{month}-active") or 0
                if new > active:
                    self.add_error(
                        f"m{month}-active", f"Aktiva i {name} ska vara minst lika många som nya ({new})."
                    )
        return data

    def grid(self) -> list[tuple[str, list]]:
        """The bound fields month by month, for the template's table."""
        return [
            (name, [self[f"m{month}-{key}"] for key, _ in self.columns])
            for month, name in enumerate(MONTH_NAMES, 1)
        ]

    def values(self) -> dict[tuple[int, str], int]:
        """The cleaned counts by (month, column); an empty cell is 0."""
        return {
            (month, key): self.cleaned_data.get(f"m{month}-{key}") or 0
            for month in range(1, 13)
            for key, _ in self.columns
        }


QUESTIONS_HELP = (
    "En fråga per block: en rad som börjar med ”Fråga:”, sedan ett svarsalternativ per rad med "
    "antal svar, avgränsade med semikolon. Skriv ”positiv” sist på de alternativ som räknas som "
    "positiva (till exempel de två mest positiva). Exempel:\n"
    "Fråga: Jag har fått det stöd jag behövt.\n"
    "Instämmer helt; 61; positiv\n"
    "Instämmer delvis; 38; positiv\n"
    "Varken eller; 10\n"
    "Instämmer inte; 8"
)


def parse_questions(text: str) -> list[tuple[str, list[tuple[str, int, bool]]]]:
    """The questions block as (question, [(option, count, positive)]); ValidationError names the line."""
    questions: list[tuple[str, list[tuple[str, int, bool]]]] = []
    errors = []
    for number, raw in enumerate((text or "").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.lower().startswith("fråga:"):
            question = line[len("fråga:") :].strip()
            if not question:
                errors.append(f"Rad {number}: skriv frågan efter ”Fråga:”.")
            questions.append((question, []))
            continue
        if not questions:
            errors.append(f"Rad {number}: börja med en rad ”Fråga: …” innan svarsalternativen.")
            continue
        parts = [part.strip() for part in line.replace("\t", ";").split(";")]
        label = parts[0]
        count_text = parts[1].replace(" ", "").replace("\u00a0", "") if len(parts) > 1 else ""
        marker = parts[2].lower() if len(parts) > 2 else ""
        if not label or len(label) > 100:
            errors.append(f"Rad {number}: svarsalternativet ska ha en benämning på högst 100 tecken.")
            continue
        if not count_text.isdigit() or int(count_text) > COUNT_MAX:
            errors.append(f"Rad {number}: skriv antalet svar som ett heltal efter ett semikolon.")
            continue
        if marker not in ("", "positiv", "positivt", "ja"):
            errors.append(f"Rad {number}: skriv ”positiv” eller inget efter antalet.")
            continue
        questions[-1][1].append((label, int(count_text), bool(marker)))
    for text_, options in questions:
        if text_ and not options:
            errors.append(f"Frågan ”{text_[:60]}” har inga svarsalternativ.")
    if errors:
        raise forms.ValidationError(errors)
    return questions


def questions_text(survey) -> str:
    """A survey's questions written back in the form's format, for editing."""
    lines = []
    for question in survey.questions.all():
        lines.append(f"Fråga: {question.text}")
        for option in question.options.all():
            lines.append(f"{option.label}; {option.count}" + ("; positiv" if option.positive else ""))
    return "\n".join(lines)


class SurveyForm(forms.Form):
    """A survey's result for a period: who was asked, who answered, and the answers per question."""

    insats = forms.ModelChoiceField(
        label="Insats",
        queryset=None,
        required=False,
        empty_label="– Hela förbundet –",
        to_field_name="public_id",
    )
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    period = forms.ChoiceField(label="Period", choices=Period.choices)
    kind = forms.ChoiceField(
        label="Enkät",
        choices=SurveyKind.choices,
        help_text="NNS-enkätens frågor får inte formuleras om; skriv dem som de står i enkäten.",
    )
    name = forms.CharField(
        label="Namn", max_length=200, required=False, help_text="Enkätens namn om den är egen."
    )
    respondent_group = forms.CharField(
        label="Svarsgrupp", max_length=100, help_text="Till exempel deltagare vid avslut eller personal."
    )
    asked = forms.IntegerField(label="Antal tillfrågade", min_value=0, max_value=COUNT_MAX)
    answered = forms.IntegerField(label="Antal svarande", min_value=0, max_value=COUNT_MAX)
    questions = forms.CharField(
        label="Frågor och svar",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=QUESTIONS_HELP,
    )

    def __init__(self, *args, insatser, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insats"].queryset = insatser

    def clean_questions(self):
        return parse_questions(self.cleaned_data.get("questions", ""))
