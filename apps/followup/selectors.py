"""Reads of the follow-up: staff's participants, settings, surveys, and the statistics pages.

Participant rows are read only through ``staff_*`` selectors, which join through the staff
grant; everything else returns aggregates, suppressed unless the reader is the insats' staff.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BigIntegerField, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from apps.core.charts import Chart, line_chart
from apps.insatser.models import Insats, InsatsYear
from apps.insatser.selectors import insats_list_for_staff
from apps.tenancy.datacache import remember
from apps.tenancy.models import Forbund

from . import statistics as st
from .models import (
    Bedomning,
    Category,
    Deltagare,
    FollowupSettings,
    InsatsFollowup,
    InsatsYearMode,
    Kon,
    Mode,
    MonthlyCount,
    Rater,
    Step,
    StepScale,
    Survey,
    SurveyOption,
    SurveyQuestion,
)
from .suppression import Cell, is_small, protect_list, protect_table

MONTHS_SHORT = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
KON_LABELS = [(k.value, k.label) for k in Kon]


# --- Staff: participants -----------------------------------------------------------------------


def staff_insatser(*, forbund: Forbund, user) -> QuerySet[Insats]:
    """The insatser whose participants this user may see (the guardian grants), one query."""
    return insats_list_for_staff(forbund=forbund, user=user)


def staff_deltagare(*, forbund: Forbund, user) -> QuerySet[Deltagare]:
    """Every participant the user may see: only in insatser they are granted."""
    granted = staff_insatser(forbund=forbund, user=user).values("pk")
    return Deltagare.objects.filter(forbund=forbund, insats_id__in=granted).select_related("insats")


def _latest(field: str):
    return Subquery(
        Bedomning.objects.filter(deltagare=OuterRef("pk"), rater=Rater.PERSONAL)
        .order_by("-date", "-pk")
        .values(field)[:1]
    )


def deltagare_active(*, forbund: Forbund, insats: Insats, on: datetime.date) -> QuerySet[Deltagare]:
    """The insats' participants active on a day, with their latest staff assessment (one query)."""
    return (
        Deltagare.objects.filter(forbund=forbund, insats=insats, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .annotate(
            latest_step=_latest("step__number"),
            latest_label=_latest("step__label"),
            latest_date=_latest("date"),
        )
        .order_by("code")
    )


def deltagare_ended(*, forbund: Forbund, insats: Insats, on: datetime.date) -> QuerySet[Deltagare]:
    """The insats' participants who have ended (newest first)."""
    return (
        Deltagare.objects.filter(forbund=forbund, insats=insats, end_date__lt=on)
        .select_related("avslutsorsak")
        .order_by("-end_date", "code")
    )


def deltagare_record(*, forbund: Forbund, deltagare: Deltagare) -> dict:
    """Everything held about one participant, for printing it when the person asks."""
    row = (
        Deltagare.objects.filter(forbund=forbund, pk=deltagare.pk)
        .select_related(
            "insats",
            "remittent_medlem",
            "forsorjning_start",
            "avslutsorsak",
            "sysselsattning_slut",
            "forsorjning_slut",
        )
        .get()
    )
    assessments = list(
        Bedomning.objects.filter(forbund=forbund, deltagare=row)
        .select_related("step")
        .order_by("date", "rater")
    )
    return {"deltagare": row, "bedomningar": assessments}


def insats_steps(*, forbund: Forbund, insats: Insats) -> list[Step]:
    """The steps of the insats' scale (the förbund's first scale when none is chosen), one query."""
    chosen = InsatsFollowup.objects.filter(forbund=forbund, insats=insats).values("step_scale_id")[:1]
    first = StepScale.objects.filter(forbund=forbund).order_by("pk").values("pk")[:1]
    return list(
        Step.objects.filter(forbund=forbund)
        .annotate(wanted=Coalesce(Subquery(chosen), Subquery(first), output_field=BigIntegerField()))
        .filter(scale_id=F("wanted"))
        .order_by("number")
    )


def categories(*, forbund: Forbund, kind: str, include_inactive: bool = False) -> QuerySet[Category]:
    """One of the förbund's category lists in order."""
    qs = Category.objects.filter(forbund=forbund, kind=kind)
    return qs if include_inactive else qs.filter(is_active=True)


def settings_for(*, forbund: Forbund) -> FollowupSettings:
    """The förbund's follow-up settings (defaults when never saved; not saved here)."""
    return FollowupSettings.objects.filter(forbund=forbund).first() or FollowupSettings(forbund=forbund)


def scales_with_steps(*, forbund: Forbund) -> list[StepScale]:
    """The förbund's step scales with their steps, two queries."""
    return list(
        StepScale.objects.filter(forbund=forbund).prefetch_related(
            Prefetch("steps", queryset=Step.objects.filter(forbund=forbund).order_by("number"))
        )
    )


def statistics_insatser(*, forbund: Forbund, year: int, user=None) -> list[Insats]:
    """The insatser with a row for ``year`` in the list's order (kind, position, name), one query:
    all the förbund's, or only those the staff ``user`` is granted."""
    qs = (
        staff_insatser(forbund=forbund, user=user)
        if user is not None
        else Insats.objects.filter(forbund=forbund)
    )
    with_year = InsatsYear.objects.filter(forbund=forbund, year=year).values("insats_id")
    return list(qs.filter(pk__in=with_year).order_by("kind", "position", "name"))


def year_modes(*, forbund: Forbund, year: int) -> dict[int, str]:
    """How each insats is followed up in ``year``: insats pk -> mode (default by kind)."""
    rows = InsatsYear.objects.filter(forbund=forbund, year=year).select_related("insats")
    chosen = dict(
        InsatsYearMode.objects.filter(forbund=forbund, insats_year__year=year).values_list(
            "insats_year__insats_id", "mode"
        )
    )
    return {
        row.insats_id: chosen.get(row.insats_id)
        or (Mode.DELTAGARE if row.insats.kind == "individ" else Mode.ANTAL)
        for row in rows
    }


@dataclass
class InsatsFollowupRow:
    """One insats year on the follow-up overview: how it is followed up and what is entered."""

    insats_year: InsatsYear
    mode: str
    scale: StepScale | None
    count_months: int
    surveys: int

    @property
    def mode_label(self) -> str:
        return Mode(self.mode).label


def insats_followup_rows(*, forbund: Forbund, year: int) -> list[InsatsFollowupRow]:
    """Every insats with a row for ``year``: mode, scale, months with counts and surveys (five queries)."""
    rows = list(
        InsatsYear.objects.filter(forbund=forbund, year=year)
        .select_related("insats")
        .order_by("insats__kind", "insats__position", "insats__name")
    )
    modes = dict(
        InsatsYearMode.objects.filter(forbund=forbund, insats_year__year=year).values_list(
            "insats_year_id", "mode"
        )
    )
    scales = {
        row.insats_id: row.step_scale
        for row in InsatsFollowup.objects.filter(forbund=forbund).select_related("step_scale")
    }
    months = dict(
        MonthlyCount.objects.filter(forbund=forbund, year=year)
        .values("insats_id")
        .annotate(n=Count("month", distinct=True))
        .values_list("insats_id", "n")
    )
    surveys = dict(
        Survey.objects.filter(forbund=forbund, year=year, insats__isnull=False)
        .values("insats_id")
        .annotate(n=Count("pk"))
        .values_list("insats_id", "n")
    )
    return [
        InsatsFollowupRow(
            insats_year=row,
            mode=modes.get(row.pk) or (Mode.DELTAGARE if row.insats.kind == "individ" else Mode.ANTAL),
            scale=scales.get(row.insats_id),
            count_months=months.get(row.insats_id, 0),
            surveys=surveys.get(row.insats_id, 0),
        )
        for row in rows
    ]


def insats_year_mode(*, forbund: Forbund, insats_year: InsatsYear) -> str:
    """How one insats year is followed up (the default by kind when never chosen)."""
    chosen = (
        InsatsYearMode.objects.filter(forbund=forbund, insats_year=insats_year)
        .values_list("mode", flat=True)
        .first()
    )
    return chosen or (Mode.DELTAGARE if insats_year.insats.kind == "individ" else Mode.ANTAL)


def insats_scale(*, forbund: Forbund, insats: Insats) -> StepScale | None:
    """The step scale chosen for an insats (None: the förbund's first)."""
    row = InsatsFollowup.objects.filter(forbund=forbund, insats=insats).select_related("step_scale").first()
    return row.step_scale if row else None


def monthly_counts(*, forbund: Forbund, insats: Insats, year: int) -> dict[tuple[int, str], MonthlyCount]:
    """An insats' counts of a year by (month, kön)."""
    rows = MonthlyCount.objects.filter(forbund=forbund, insats=insats, year=year)
    return {(row.month, row.kon): row for row in rows}


def survey_queryset(*, forbund: Forbund) -> QuerySet[Survey]:
    """The förbund's surveys with insats, questions and options, for looking one up to edit."""
    return (
        Survey.objects.filter(forbund=forbund)
        .select_related("insats")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=SurveyQuestion.objects.filter(forbund=forbund).prefetch_related(
                    Prefetch("options", queryset=SurveyOption.objects.filter(forbund=forbund))
                ),
            )
        )
    )


def survey_years(*, forbund: Forbund) -> list[int]:
    """The years that have surveys, for the year picker."""
    return sorted(set(Survey.objects.filter(forbund=forbund).values_list("year", flat=True)))


def followup_years(*, forbund: Forbund) -> list[int]:
    """The years with insats rows (what the follow-up overview can show), for the year picker."""
    return sorted(set(InsatsYear.objects.filter(forbund=forbund).values_list("year", flat=True)))


def survey_list(*, forbund: Forbund, year: int, insats_ids=None) -> list[Survey]:
    """The year's surveys with questions and options (three queries); förbund-wide ones included."""
    qs = Survey.objects.filter(forbund=forbund, year=year)
    if insats_ids is not None:
        qs = qs.filter(Q(insats_id__in=list(insats_ids)) | Q(insats__isnull=True))
    return list(
        qs.select_related("insats")
        .order_by("kind", "period", "insats__name")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=SurveyQuestion.objects.filter(forbund=forbund).prefetch_related(
                    Prefetch("options", queryset=SurveyOption.objects.filter(forbund=forbund))
                ),
            )
        )
    )


# --- Statistics for readers ---------------------------------------------------------------------


def share_text(part: int, whole: int) -> str:
    """ "88 % (117 av 133)"; empty when there is nothing to divide by."""
    if whole <= 0:
        return ""
    percent = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return f"{percent}\u00a0% ({part} av {whole})"


def percent_value(part: int, whole: int) -> Decimal | None:
    """part/whole in percent with one decimal (None when whole is 0)."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def safe_share(part: int, whole: int, *, reveal: bool) -> str:
    """A share of people, or a note when showing it would reveal a group of 1–4."""
    if whole == 0:
        return "–"
    if not reveal and (whole < 5 or is_small(part) or is_small(whole - part)):
        return "För få för att visa"
    return share_text(part, whole)


@dataclass
class SurveySummary:
    survey: Survey
    response: str
    questions: list[tuple[str, str, list]]


def survey_summaries(surveys: list[Survey]) -> list[SurveySummary]:
    """Response rate and share positive per question ("88 % (117 av 133)")."""
    result = []
    for survey in surveys:
        questions = []
        for question in survey.questions.all():
            options = list(question.options.all())
            answers = sum(o.count for o in options)
            positive = sum(o.count for o in options if o.positive)
            questions.append((question.text, share_text(positive, answers), options))
        result.append(SurveySummary(survey, share_text(survey.answered, survey.asked), questions))
    return result


@dataclass
class KonTable:
    """One measure (new, active or ended) per insats and gender, protected for the reader."""

    title: str
    rows: list[tuple[Insats, list[Cell], Cell]]
    col_totals: list[Cell]
    total: Cell
    suppressed: bool


def _category_rows(counts: dict[str, int], order: list[str], reveal: bool):
    labels = [label for label in order if label in counts] + sorted(set(counts) - set(order))
    cells, total, suppressed = protect_list([counts[label] for label in labels], reveal=reveal)
    return {"rows": list(zip(labels, cells, strict=True)), "total": total, "suppressed": suppressed}


def _step_table(steg: dict, steps: list, reveal: bool) -> dict | None:
    if not steps:
        return None
    matrix = st.step_matrix(steg, len(steps))
    shown = protect_table(matrix, reveal=reveal)
    rows = [(steps[i], shown.cells[i], shown.row_totals[i]) for i in range(len(steps))]
    # Heat levels from the real counts: only for shown cells, so a colour never tells a hidden one.
    peak = max((max(row) for row in matrix), default=0) or 1
    heat = [
        [
            0 if cell.hidden or not value else 1 + min(4, value * 5 // (peak + 1))
            for value, cell in zip(m_row, s_row, strict=True)
        ]
        for m_row, s_row in zip(matrix, shown.cells, strict=True)
    ]
    return {
        "steps": steps,
        "rows": [
            (step, list(zip(cells, heat[n], strict=True)), total)
            for n, (step, cells, total) in enumerate(rows)
        ],
        "col_totals": shown.col_totals,
        "total": shown.total,
        "suppressed": shown.suppressed,
    }


def _movement_text(move: st.Movement, reveal: bool) -> dict:
    if move.participants == 0:
        return {"mean": "–", "share": "–", "n": 0}
    if not reveal and move.participants < 5:
        return {"mean": "För få för att visa", "share": "För få för att visa", "n": None}
    mean = Decimal(str(move.mean)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    moved = move.moved.get(1, 0)
    return {
        "mean": f"{mean}".replace(".", ",").replace("-", "\u2212") + " steg",
        "share": safe_share(moved, move.participants, reveal=reveal),
        "n": move.participants,
    }


def _budgeted(forbund: Forbund, year: int, insats_ids) -> dict[int, int | None]:
    return dict(
        InsatsYear.objects.filter(forbund=forbund, year=year, insats_id__in=list(insats_ids)).values_list(
            "insats_id", "budgeted_volume"
        )
    )


def statistics_page(
    *,
    forbund: Forbund,
    year: int,
    period: str,
    insatser: list[Insats],
    reveal: bool,
    focus: Insats | None = None,
    with_surveys: bool = True,
    version: str | None = None,
) -> dict:
    """Everything the Uppföljning page shows, in a fixed number of queries.

    ``insatser`` are those the reader may see; ``reveal`` is True only for their own staff.
    ``focus`` narrows the detail tables (age, remiss, försörjning, avslut, steps) to one insats.
    ``with_surveys=False`` leaves the surveys unread (``"surveys"`` is None) for callers that
    show only the participant figures (the start page, the tertial report). ``version`` is the
    förbund's data version when the caller has read it already (``datacache.remember``).
    The counted and protected figures come from ``cache`` (keyed by the förbund's data version,
    the insatser, ``reveal`` and the live inputs); the insatser, steps and surveys are read live.
    """
    ids = [i.pk for i in insatser]
    current = st.span(year, period)
    previous = st.span(year - 1, period if period != "hittills" else "ar")
    if period == "hittills" and current.snapshot_key is None:
        # Compare the same stretch of last year (1 January to the same day).
        previous = st.Span(
            "hittills", year - 1, datetime.date(year - 1, 1, 1), current.end.replace(year=year - 1), None
        )
    budgeted = _budgeted(forbund, year, ids)
    detail_ids = [focus.pk] if focus else ids
    steps = insats_steps(forbund=forbund, insats=focus) if focus else _default_steps(forbund)
    parts = (
        current,
        previous,
        tuple(ids),
        tuple(detail_ids),
        reveal,
        tuple(sorted(budgeted.items())),
        len(steps),
    )
    figures = remember(
        forbund,
        "statistics",
        parts,
        lambda: _figures(
            forbund=forbund,
            year=year,
            current=current,
            previous=previous,
            ids=ids,
            detail_ids=detail_ids,
            reveal=reveal,
            budgeted=budgeted,
            n_steps=len(steps),
        ),
        version=version,
    )
    kon_tables = [
        KonTable(
            title,
            [(insats, shown.cells[n], shown.row_totals[n]) for n, insats in enumerate(insatser)],
            shown.col_totals,
            shown.total,
            shown.suppressed,
        )
        for title, shown in figures["kon"]
    ]
    steg = figures["steg"]
    if steg is not None:
        rows = [(steps[i], cells, total) for i, cells, total in steg["rows"]]
        steg = {**steg, "steps": steps, "rows": rows}
    return {
        "span": current,
        "previous": previous,
        "kon_labels": [label for _, label in KON_LABELS],
        "kon_tables": kon_tables,
        "volume_rows": [(insats, *row) for insats, row in zip(insatser, figures["volume"], strict=True)],
        "alder": figures["alder"],
        "remittent": figures["remittent"],
        "forsorjning": figures["forsorjning"],
        "avslut": figures["avslut"],
        "to_work": figures["to_work"],
        "steg": steg,
        "movement": figures["movement"],
        "attendees": figures["attendees"],
        "chart": figures["chart"],
        "surveys": (
            survey_summaries(survey_list(forbund=forbund, year=year, insats_ids=detail_ids))
            if with_surveys
            else None
        ),
        "reveal": reveal,
        "suppressed": any(t.suppressed for t in kon_tables),
        # The raw counts per insats behind the tables (for callers that protect them themselves).
        "tables": figures["tables"],
    }


def _figures(
    *,
    forbund: Forbund,
    year: int,
    current: st.Span,
    previous: st.Span,
    ids: list[int],
    detail_ids: list[int],
    reveal: bool,
    budgeted: dict[int, int | None],
    n_steps: int,
) -> dict:
    """The statistics page's counted and protected figures, without model objects (cacheable):
    rows follow ``ids``, step rows carry the step's index."""
    tables = st.participant_tables(forbund=forbund, insats_ids=ids, s=current)
    # Only last year's active participants are compared: three queries, not every table.
    before = st.active_counts(forbund=forbund, insats_ids=ids, s=previous)

    kon = []
    for title, index in (("Nya deltagare", 0), ("Aktiva deltagare", 1), ("Avslutade deltagare", 2)):
        matrix = [[tables[i]["kon"][k][index] for k, _ in KON_LABELS] for i in ids]
        kon.append((title, protect_table(matrix, reveal=reveal)))
    active_totals = kon[1][1].row_totals
    compare_matrix = [[st.totals(tables[i])[1], before[i]] for i in ids]
    compare = protect_table(compare_matrix, reveal=reveal, row_totals=False) if ids else None
    volume_rows = []
    for n, insats_id in enumerate(ids):
        volume = budgeted.get(insats_id)
        active = st.totals(tables[insats_id])[1]
        total = active_totals[n]
        share = "–"
        if volume and not total.hidden:
            share = f"{percent_value(active, volume)}".replace(".", ",") + "\u00a0%"
        volume_rows.append((total, volume, share, compare.cells[n][1] if compare else None))

    detail = st.merge([tables[i] for i in detail_ids])
    ended_total = sum(detail["avslut"].values())
    to_work = detail["utfall"]["arbete"] + detail["utfall"]["studier"]
    move = st.movement(detail["steg"])
    series = st.monthly_active(forbund=forbund, insats_ids=detail_ids, year=year)
    volume_total = sum(budgeted.get(i) or 0 for i in detail_ids)
    return {
        "tables": tables,
        "kon": kon,
        "volume": volume_rows,
        "alder": _category_rows(detail["alder"], list(st.AGE_BANDS), reveal),
        "remittent": _category_rows(detail["remittent"], [], reveal),
        "forsorjning": _category_rows(detail["forsorjning"], [], reveal),
        "avslut": _category_rows(detail["avslut"], [], reveal),
        "to_work": safe_share(to_work, ended_total, reveal=reveal),
        "steg": _step_table(detail["steg"], list(range(n_steps)), reveal),
        "movement": _movement_text(move, reveal),
        "attendees": detail["attendees"],
        "chart": _month_chart(series, volume_total, reveal, year),
    }


def _default_steps(forbund: Forbund) -> list[Step]:
    first = StepScale.objects.filter(forbund=forbund).order_by("pk").values("pk")[:1]
    return list(Step.objects.filter(forbund=forbund, scale_id=Subquery(first)).order_by("number"))


def _month_chart(series: dict[str, list[int]], volume: int, reveal: bool, year: int) -> dict:
    """Active participants per month by gender against the budgeted volume, with its table."""
    women, men = series[Kon.KVINNA], series[Kon.MAN]
    other = [a + b for a, b in zip(series[Kon.ANNAT], series[Kon.EJ_UPPGIVET], strict=True)]
    total = [a + b + c for a, b, c in zip(women, men, other, strict=True)]
    # One protection over the month × gender table, so chart and table hide the same cells.
    shown = protect_table(
        [list(row) for row in zip(women, men, other, strict=True)],
        reveal=reveal,
        row_totals=True,
        col_totals=False,
    )

    def plotted(col):
        return [None if shown.cells[m][col].hidden else shown.cells[m][col].value for m in range(12)]

    month_totals = [None if c.hidden else c.value for c in shown.row_totals]
    lines = [
        ("Kvinnor", plotted(0)),
        ("Män", plotted(1)),
        ("Annat eller ej uppgivet", plotted(2)),
        ("Totalt", month_totals),
    ]
    if volume:
        lines.append(("Budgeterad volym", [volume] * 12))
    peak = max([v for _, values in lines for v in values if v is not None] + [0])
    alt = (
        f"Linjediagram: aktiva deltagare per månad {year} efter kön"
        + (f", mot budgeterad volym {volume} deltagare" if volume else "")
        + f". Högsta värde {peak}. Siffrorna finns i tabellen under diagrammet."
    )
    chart: Chart = line_chart(
        labels=list(MONTHS_SHORT),
        series=lines,
        alt=alt,
        dashed=frozenset({"Budgeterad volym"}),
        y_title="Deltagare",
    )
    rows = [(MONTHS_SHORT[m], shown.cells[m], shown.row_totals[m]) for m in range(12)]
    return {"chart": chart, "rows": rows, "volume": volume, "has_data": any(total)}
