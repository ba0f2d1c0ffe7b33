"""Import and export of monthly counts and survey results through the shared import pages.

Both datasets write through the services the hand-entry pages use (``monthly_counts_save`` for
the counts grid, ``survey_save`` for the survey form), so a file is refused for the same reasons
and with the same Swedish messages as the pages, and all rows are saved or none.

* Monthly counts: one row per insats, year and month, with the figures of ``MonthlyCount`` per
  gender in columns ("Nya, kvinnor" … "Deltagare vid tillfällen, kön ej uppgivet"). Whoever may
  fill in the grid may import: the förbund's editors for every insats, plattformspersonal for
  the insatser they are granted (any other insats reads as one that does not exist). A column
  left out of the file keeps the saved figures; an empty cell is 0. Re-importing a month
  replaces that month's figures.
* Survey results: one row per survey, question and answer option, as a förbund can lay out an
  NNS survey export. The rows of one survey (insats, year, period, survey, respondent group) are
  collected and the survey is written once, after every row, replacing its questions; a survey
  not in the file is left alone. Only the förbund's editors import and export surveys.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from import_export import widgets

from apps.core.formatting import MONTH_NAMES
from apps.core.tabular import CellError, parse_int, parse_text
from apps.core.years import MAX_YEAR, MIN_YEAR
from apps.dataio.base import (
    NEW,
    SKIP,
    UPDATE,
    ChoiceWidget,
    ImportResult,
    IntWidget,
    RowInvalid,
    TenantResource,
    TextWidget,
    column,
)
from apps.insatser.models import Insats
from apps.tenancy.abilities import abilities_for
from apps.tenancy.selectors import membership_list

from . import selectors, services
from .forms import COUNT_MAX
from .models import Kon, MonthlyCount, Period, Survey, SurveyKind
from .resources import NOT_GRANTED

# Who enters these by hand (views.counts_page and the survey pages) is who may import them.
COUNT_ABILITIES = ("followup_edit", "participants_log")
SURVEY_ABILITY = "followup_edit"

NO_INSATS = "Det finns ingen insats som heter ”{name}” i förbundet."

# --- Widgets ----------------------------------------------------------------------------------

MONTH_LOOKUP = {
    **{name: number for number, name in enumerate(MONTH_NAMES, 1)},
    **{name[:3]: number for number, name in enumerate(MONTH_NAMES, 1)},
}
YES = frozenset({"ja", "j", "x", "1", "sant", "true", "positiv", "positivt"})
NO = frozenset({"", "nej", "n", "0", "falskt", "false"})


class MonthWidget(widgets.Widget):
    """A month as 1–12 or its Swedish name ("mars", "mar"); exported as its number."""

    def clean(self, value, row=None, **kwargs):
        raw = parse_text(value, max_length=20)
        text = raw.casefold().rstrip(".")
        if not text:
            return None
        if text in MONTH_LOOKUP:
            return MONTH_LOOKUP[text]
        try:
            return parse_int(value, min_value=1, max_value=12)
        except CellError:
            raise ValueError(f"”{raw}” är ingen månad. Skriv månadens nummer (1–12) eller namn.") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else int(value)


class YesNoWidget(widgets.Widget):
    """Ja or nej (also x, 1, sant, or a true/false cell); an empty cell is nej."""

    def clean(self, value, row=None, **kwargs):
        text = parse_text(value, max_length=20).casefold()
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(f"”{text}” är varken ja eller nej. Skriv ja eller nej.")

    def render(self, value, obj=None, **kwargs):
        return "ja" if value else "nej"


class _InsatsNames:
    """The förbund's insatser by name (case ignored), looked up once per import."""

    forbund: object
    actor: object

    def _insatser(self) -> dict[str, Insats]:
        if not hasattr(self, "_by_name"):
            self._by_name = {insats.name.casefold(): insats for insats in self._reachable()}
        return self._by_name

    def _reachable(self):
        return Insats.objects.filter(forbund=self.forbund)

    def _not_found(self, name: str) -> str:
        return NO_INSATS.format(name=name)

    def _insats(self, name: str) -> Insats:
        insats = self._insatser().get((name or "").casefold())
        if insats is None:
            raise RowInvalid(("Insats", self._not_found(name) if name else "Ange insatsen."))
        return insats


def _require(values: dict, *pairs: tuple[str, str]) -> None:
    """RowInvalid naming every (attribute, column) whose cell is empty."""
    missing = [(col, f"Ange {col.lower()}.") for attr, col in pairs if values.get(attr) in (None, "")]
    if missing:
        raise RowInvalid(*missing)


# --- Monthly counts -------------------------------------------------------------------------------

MEASURES = (
    ("new", "Nya"),
    ("active", "Aktiva"),
    ("ended", "Avslutade"),
    ("attendees", "Deltagare vid tillfällen"),
)
KON_PLURAL = {
    Kon.KVINNA: "kvinnor",
    Kon.MAN: "män",
    Kon.ANNAT: "annat kön",
    Kon.EJ_UPPGIVET: "kön ej uppgivet",
}
COUNT_COLUMNS = {
    f"{measure}_{kon}": f"{label}, {KON_PLURAL[kon]}" for measure, label in MEASURES for kon in Kon.values
}


class _MonthlyCountBase(_InsatsNames, TenantResource):
    """One row per insats, year and month with the counts per gender (columns added below)."""

    required_columns = ("Insats", "År", "Månad")

    def _reachable(self):
        if self.actor is None or self._editor():
            return Insats.objects.filter(forbund=self.forbund)
        return selectors.staff_insatser(forbund=self.forbund, user=self.actor)

    def _editor(self) -> bool:
        """Editors reach every insats (as on the grid); plattformspersonal their granted ones."""
        if not hasattr(self, "_is_editor"):
            roles = membership_list(forbund=self.forbund).filter(user=self.actor)
            self._is_editor = abilities_for(roles.values_list("role", flat=True).first())["followup_edit"]
        return self._is_editor

    def _not_found(self, name: str) -> str:
        return NO_INSATS.format(name=name) if self.actor is None or self._editor() else NOT_GRANTED

    def export_rows(self):
        reachable = self._reachable().values("pk")
        rows: dict[tuple, dict] = {}
        counts = (
            MonthlyCount.objects.filter(forbund=self.forbund, insats_id__in=reachable)
            .select_related("insats")
            .order_by("insats__name", "year", "month")
        )
        for count in counts:
            row = rows.setdefault(
                (count.insats_id, count.year, count.month),
                {"insats": count.insats.name, "year": count.year, "month": count.month}
                | dict.fromkeys(COUNT_COLUMNS, 0),
            )
            for measure in services.COUNT_FIELDS:
                row[f"{measure}_{count.kon}"] = getattr(count, measure)
        return list(rows.values())

    def row_key(self, values):
        name, year, month = values.get("insats"), values.get("year"), values.get("month")
        return (name.casefold(), year, month) if name and year and month else None

    def row_label(self, values):
        year, month = values.get("year"), values.get("month")
        when = f"{MONTH_NAMES[month - 1]} {year}" if year and month else ""
        return f"{values.get('insats', '')} {when}".strip()

    def apply_row(self, values):
        _require(values, ("year", "År"), ("month", "Månad"))
        insats = self._insats(values.get("insats", ""))
        year, month = values["year"], values["month"]
        existing = selectors.monthly_counts(forbund=self.forbund, insats=insats, year=year)
        counts = {}
        for kon in Kon.values:
            row = existing.get((month, kon))
            kept = {measure: getattr(row, measure) if row else 0 for measure in services.COUNT_FIELDS}
            for measure in services.COUNT_FIELDS:
                if f"{measure}_{kon}" in values:
                    kept[measure] = values[f"{measure}_{kon}"] or 0
            counts[(month, kon)] = kept
        saved = {
            (month, kon): {
                measure: getattr(existing[(month, kon)], measure) for measure in services.COUNT_FIELDS
            }
            for kon in Kon.values
            if (month, kon) in existing
        }
        wanted = {key: figures for key, figures in counts.items() if any(figures.values())}
        if wanted == saved:
            return SKIP
        services.monthly_counts_save(
            forbund=self.forbund, actor=self.actor, insats=insats, year=year, counts=counts
        )
        return UPDATE if saved else NEW


MonthlyCountResource = type(
    "MonthlyCountResource",
    (_MonthlyCountBase,),
    {
        "__module__": __name__,
        "__doc__": _MonthlyCountBase.__doc__,
        "insats": column("insats", "Insats", TextWidget(200)),
        "year": column("year", "År", IntWidget(MIN_YEAR, MAX_YEAR)),
        "month": column("month", "Månad", MonthWidget()),
        **{
            attribute: column(attribute, name, IntWidget(0, COUNT_MAX))
            for attribute, name in COUNT_COLUMNS.items()
        },
    },
)

COUNT_HELP = (
    "En rad per insats, år och månad med antalen per kön, som i rutnätet för antal. Saknas en "
    "kolumn i filen behålls de sparade antalen; en tom cell är 0. Importeras samma månad igen "
    "ersätts månadens antal. Aktiva ska vara minst lika många som nya. Exportera antal för en "
    "mall med rätt rubriker.",
    (
        ("Insats", "Insatsens namn som i Samordning. Plattformspersonal når bara sina egna insatser."),
        ("År", f"Till exempel 2026 ({MIN_YEAR}–{MAX_YEAR})."),
        ("Månad", "1–12 eller månadens namn (januari eller jan)."),
        *(
            (f"{label}, kvinnor / män / annat kön / kön ej uppgivet", help_text)
            for (_, label), help_text in zip(
                MEASURES,
                (
                    "Nya deltagare under månaden.",
                    "Aktiva under månaden, nya inräknade.",
                    "Avslutade under månaden.",
                    "Antal deltagare vid tillfällen (evenemang, utbildningar).",
                ),
                strict=True,
            )
        ),
    ),
)


# --- Survey results -----------------------------------------------------------------------------------

SURVEY_FIELDS = ("name", "asked", "answered")
SURVEY_COLUMNS = {"name": "Enkätens namn", "asked": "Antal tillfrågade", "answered": "Antal svarande"}


@dataclass
class _SurveyRows:
    """The rows of one survey in the file: its figures and its questions in the file's order."""

    first_row: int
    rows: list[int] = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    # question text -> [(option, count, positive)]; options by label -> row, for duplicates
    questions: dict[str, list[tuple[str, int, bool]]] = field(default_factory=dict)


def _survey_key(insats, year, period, kind, group) -> tuple:
    return (insats.pk if insats else None, year, period, kind, group)


class SurveyResultResource(_InsatsNames, TenantResource):
    """One row per survey, question and answer option; each survey is written once, after every row."""

    insats = column("insats", "Insats", TextWidget(200))
    year = column("year", "År", IntWidget(MIN_YEAR, MAX_YEAR))
    period = column("period", "Period", ChoiceWidget(Period.choices))
    kind = column("kind", "Enkät", ChoiceWidget(SurveyKind.choices))
    name = column("name", "Enkätens namn", TextWidget(200))
    respondent_group = column("respondent_group", "Svarsgrupp", TextWidget(100))
    asked = column("asked", "Antal tillfrågade", IntWidget(0, COUNT_MAX))
    answered = column("answered", "Antal svarande", IntWidget(0, COUNT_MAX))
    question = column("question", "Fråga", TextWidget(1000))
    option = column("option", "Svarsalternativ", TextWidget(100))
    count = column("count", "Antal svar", IntWidget(0, COUNT_MAX))
    positive = column("positive", "Positivt", YesNoWidget())

    required_columns = (
        "Insats",
        "År",
        "Enkät",
        "Svarsgrupp",
        "Antal tillfrågade",
        "Antal svarande",
        "Fråga",
        "Svarsalternativ",
        "Antal svar",
    )
    error_columns = {"insats": "Insats"}

    def __init__(self, *, forbund, actor=None):
        super().__init__(forbund=forbund, actor=actor)
        self._surveys: dict[tuple, _SurveyRows] = {}

    def _saved(self) -> dict[tuple, Survey]:
        """The förbund's surveys with questions and options by their key (three queries, once)."""
        if not hasattr(self, "_saved_surveys"):
            self._saved_surveys = {
                _survey_key(s.insats, s.year, s.period, s.kind, s.respondent_group): s
                for s in selectors.survey_queryset(forbund=self.forbund)
            }
        return self._saved_surveys

    def export_rows(self):
        rows = []
        surveys = selectors.survey_queryset(forbund=self.forbund).order_by(
            "year", "period", "kind", "insats__name", "respondent_group"
        )
        for survey in surveys:
            head = {
                "insats": survey.insats.name if survey.insats else "",
                "year": survey.year,
                "period": survey.period,
                "kind": survey.kind,
                "name": survey.name,
                "respondent_group": survey.respondent_group,
                "asked": survey.asked,
                "answered": survey.answered,
            }
            options = [
                {"question": q.text, "option": o.label, "count": o.count, "positive": o.positive}
                for q in survey.questions.all()
                for o in q.options.all()
            ]
            rows.extend(head | option for option in options or [{"positive": False}])
        return rows

    def row_key(self, values):
        if not values.get("option"):
            return None
        return (
            (values.get("insats") or "").casefold(),
            values.get("year"),
            values.get("period") or Period.AR,
            values.get("kind"),
            values.get("respondent_group"),
            (values.get("question") or "").casefold(),
            values["option"].casefold(),
        )

    def row_label(self, values):
        kind = dict(SurveyKind.choices).get(values.get("kind"), "")
        where = values.get("insats") or "hela förbundet"
        option = values.get("option", "")
        return f"{kind} {values.get('year') or ''}, {where}" + (f": {option}" if option else "")

    def apply_row(self, values):
        _require(values, ("year", "År"), ("kind", "Enkät"), ("respondent_group", "Svarsgrupp"))
        name = values.get("insats", "")
        insats = self._insats(name) if name else None
        period = values.get("period") or Period.AR
        key = _survey_key(insats, values["year"], period, values["kind"], values["respondent_group"])
        survey = self._surveys.get(key)
        if survey is not None:
            conflicts = [
                (SURVEY_COLUMNS[attr], f"Samma enkät har ett annat värde på rad {survey.first_row}.")
                for attr in SURVEY_FIELDS
                if values.get(attr) not in (None, "")
                and survey.figures.get(attr) not in (None, "")
                and values[attr] != survey.figures[attr]
            ]
            if conflicts:
                raise RowInvalid(*conflicts)
        question, option, count = values.get("question", ""), values.get("option", ""), values.get("count")
        if question or option or count is not None:
            _require(values, ("question", "Fråga"), ("option", "Svarsalternativ"), ("count", "Antal svar"))
        if survey is None:
            survey = self._surveys[key] = _SurveyRows(first_row=self.current_row, figures={"insats": insats})
        for attr in SURVEY_FIELDS:
            if values.get(attr) not in (None, ""):
                survey.figures.setdefault(attr, values[attr])
        survey.rows.append(self.current_row)
        if question:
            survey.questions.setdefault(question, []).append((option, count, bool(values.get("positive"))))
        return UPDATE if key in self._saved() else NEW

    def finish_import(self, result: ImportResult) -> None:
        outcomes = {outcome.row: outcome for outcome in result.rows}
        for key, survey in self._surveys.items():
            rows = [outcomes[number] for number in survey.rows]
            if any(outcome.errors for outcome in rows):
                continue  # the import fails on those rows; the survey is not tried
            errors = self._write(key, survey)
            if errors:
                outcomes[survey.first_row].errors.extend(errors)
                for outcome in rows:
                    outcome.action = ""
            elif errors is None:
                for outcome in rows:
                    outcome.action = SKIP

    def _write(self, key: tuple, survey: _SurveyRows) -> list[tuple[str, str]] | None:
        """Save one survey through the service: its errors, [] when saved, None when unchanged."""
        missing = [
            (SURVEY_COLUMNS[attr], f"Ange {SURVEY_COLUMNS[attr].lower()} för enkäten.")
            for attr in ("asked", "answered")
            if survey.figures.get(attr) is None
        ]
        if missing:
            return missing
        _insats_pk, year, period, kind, group = key
        fields = {
            "insats": survey.figures["insats"],
            "year": year,
            "period": period,
            "kind": kind,
            "respondent_group": group,
            "name": survey.figures.get("name", ""),
            "asked": survey.figures["asked"],
            "answered": survey.figures["answered"],
        }
        questions = list(survey.questions.items())
        saved = self._saved().get(key)
        if saved is not None and _same(saved, fields, questions):
            return None
        try:
            with transaction.atomic():
                services.survey_save(
                    forbund=self.forbund, actor=self.actor, survey=saved, questions=questions, **fields
                )
        except ValidationError as exc:
            return self._errors_of(exc)
        except (IntegrityError, DataError):
            return [("", "Enkäten kunde inte sparas. Kontrollera värdena.")]
        return []


def _same(saved: Survey, fields: dict, questions: list) -> bool:
    """Whether a saved survey already holds these figures and questions."""
    if any(getattr(saved, name) != value for name, value in fields.items()):
        return False
    held = [
        (q.text, [(o.label, o.count, o.positive) for o in q.options.all()]) for q in saved.questions.all()
    ]
    return held == questions


SURVEY_HELP = (
    "En rad per enkät, fråga och svarsalternativ, till exempel ur en export från NNS. Raderna "
    "med samma insats, år, period, enkät och svarsgrupp är en enkät; frågorna och alternativen "
    "kommer i filens ordning. En enkät som finns ersätts med filens frågor och svar; enkäter som "
    "inte finns i filen lämnas orörda. Antal svar på en fråga får inte vara fler än antal "
    "svarande. Exportera enkätsvar för en mall med rätt rubriker.",
    (
        ("Insats", "Insatsens namn som i Samordning; tomt för en enkät för hela förbundet."),
        ("År", f"Till exempel 2026 ({MIN_YEAR}–{MAX_YEAR})."),
        ("Period", "T1, T2, T3 eller Helår; tomt är helår."),
        ("Enkät", "NNS deltagarenkät, NNS personalenkät eller Egen enkät."),
        ("Enkätens namn", "Frivilligt, för en egen enkät."),
        ("Svarsgrupp", "Till exempel Deltagare vid avslut eller Personal."),
        ("Antal tillfrågade", "Hur många som fick enkäten (behöver bara stå på enkätens första rad)."),
        ("Antal svarande", "Hur många som svarade (behöver bara stå på enkätens första rad)."),
        (
            "Fråga",
            "Frågan som den står i enkäten. Lämna fråga, alternativ och antal tomma för en "
            "enkät utan frågor.",
        ),
        ("Svarsalternativ", "Till exempel Instämmer helt."),
        ("Antal svar", "Hur många som valde alternativet."),
        ("Positivt", "Ja för de alternativ som räknas som positiva; tomt eller nej annars."),
    ),
)
