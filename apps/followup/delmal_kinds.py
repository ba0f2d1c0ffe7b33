"""The delmål kinds the follow-up computes (apps.goals.computed), registered from FollowupConfig.ready().

Each kind works for any period: January to the period's last month (``until_month``). The
participant tables of every insats of the förbund come from SQL once per year and period and
are kept in the page's ``memo``, as are the year's surveys and budgeted volumes; the delmål of a
page only pick their insats (or sum the förbund's) from them, so the page's queries do not grow
with the number of delmål (recomputing per delmål was issue 13's hot spot).

A delmål that names an insats is computed for that insats, else for all the förbund's insatser.
The goals page and the plan are read by people who are not the insats' staff: a count of 1–4
people, or a share that would reveal one, is not shown (the statistics page's rule).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from apps.core.formatting import MONTH_NAMES, format_number, format_percent
from apps.goals import computed
from apps.goals.models import Comparator, DataSource, IndicatorKind
from apps.insatser.models import Insats, InsatsYear
from apps.tenancy.datacache import data_version, remember
from apps.tenancy.models import Forbund

from . import statistics as st
from .models import AggregateSnapshot, Period, Survey, SurveyKind
from .suppression import SMALL_MAX, is_small

HIDDEN = "Färre än 5 personer: värdet visas inte, så att ingen kan pekas ut."
# The month each survey period ends: a survey counts in a period that reaches that month.
SURVEY_PERIOD_END = {Period.T1: 4, Period.T2: 8, Period.T3: 12, Period.AR: 12}
SURVEY_SOURCES = {
    DataSource.ENKAT_NNS: frozenset({SurveyKind.NNS_DELTAGARE, SurveyKind.NNS_PERSONAL}),
    DataSource.ENKAT_EGEN: frozenset({SurveyKind.EGEN}),
}
NUMBER_WORDS = {"ett": 1, "en": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5}
AT_LEAST_STEPS = re.compile(r"minst\s+(\d+|ett|en|två|tre|fyra|fem)\s+steg", re.IGNORECASE)


@dataclass(frozen=True)
class KindResult:
    """A computed delmål's outcome: ``met`` is None when it cannot be judged (or is not shown)."""

    met: bool | None
    value: Decimal | int | None
    explanation: str


# --- Arguments: what a delmål asks for (no queries: this runs once per delmål) -----------------


def _until(year: int, until_month: int) -> int:
    """The period's last month; "året hittills" with no utfall yet means up to today."""
    if until_month:
        return until_month
    today = timezone.localdate()
    if year < today.year:
        return 12
    return today.month if year == today.year else 0


def _common(delmal, year: int, until_month: int) -> dict[str, Any] | KindResult:
    until = _until(year, until_month)
    if until == 0:
        return KindResult(None, None, f"Året {year} har inte börjat.")
    return {
        "year": year,
        "until_month": until,
        "insats_id": delmal.insats_id,
        "comparator": delmal.target_comparator or "",
        "target": delmal.target_value,
        "target_max": delmal.target_value_max,
        "baseline_year": delmal.baseline_year,
        "baseline_value": delmal.baseline_value,
    }


def at_least_steps(delmal) -> int:
    """N in "minst N steg" from the delmål's indicator, else its text; 1 when neither says."""
    for text in (delmal.indicator, delmal.text):
        match = AT_LEAST_STEPS.search(text or "")
        if match:
            word = match.group(1).lower()
            return min(10, max(1, int(word) if word.isdigit() else NUMBER_WORDS[word]))
    return 1


def steps_arguments(*, delmal, year: int, until_month: int):
    """The common arguments and N (the steps a participant must have moved)."""
    arguments = _common(delmal, year, until_month)
    if isinstance(arguments, dict):
        arguments["at_least"] = at_least_steps(delmal)
    return arguments


def survey_arguments(*, delmal, year: int, until_month: int):
    """The common arguments and which surveys count (the delmål's data source: NNS, own, or all)."""
    arguments = _common(delmal, year, until_month)
    if isinstance(arguments, dict):
        arguments["sources"] = tuple(sorted(SURVEY_SOURCES.get(delmal.data_source, SurveyKind.values)))
    return arguments


def arguments(*, delmal, year: int, until_month: int):
    """The common arguments: year, months, insats and target."""
    return _common(delmal, year, until_month)


# --- Figures read once per page (memo) ---------------------------------------------------------


def _span(year: int, until: int) -> st.Span:
    end = datetime.date(year, until, 1)
    end = (end.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    # Snapshots (kept after retention) exist for a tertial and the year: T1 and the year match.
    snapshot = {4: "t1", 12: "ar"}.get(until)
    key = {4: "t1", 12: "ar"}.get(until, "hittills")
    return st.Span(key, year, datetime.date(year, 1, 1), end, snapshot)


def _insatser(forbund: Forbund, memo: dict) -> dict[int, str]:
    """The förbund's insatser (id -> name), once per page."""
    key = ("followup.insatser", forbund.pk)
    if key not in memo:
        memo[key] = dict(Insats.objects.filter(forbund=forbund).values_list("pk", "name"))
    return memo[key]


def _snapshots(forbund: Forbund, memo: dict, s: st.Span) -> dict[int, dict]:
    """Snapshots kept by retention for the span (T1 and the year), by insats; once per page."""
    key = ("followup.snapshots", forbund.pk, s.year, s.snapshot_key)
    if key not in memo:
        ids = list(_insatser(forbund, memo))
        # Read for every span (no snapshot has the period ""), so that a page's query count does
        # not depend on whether the last month with utfall ends a tertial or the year.
        snapshots = AggregateSnapshot.objects.filter(
            forbund=forbund, insats_id__in=ids, year=s.year, period=s.snapshot_key or ""
        )
        memo[key] = dict(snapshots.values_list("insats_id", "data"))
    return memo[key]


def _remembered(forbund: Forbund, memo: dict, name: str, s: st.Span, compute):
    """``compute()`` for the span over all the förbund's insatser, from the follow-up cache when
    the data is unchanged since it was computed (the version is read once per page)."""
    return _cached(forbund, memo, name, (s, tuple(sorted(_insatser(forbund, memo)))), compute)


def _cached(forbund: Forbund, memo: dict, name: str, parts: tuple, compute):
    """``compute()`` from the follow-up cache under the förbund's data version, read once per page."""
    key = ("followup.version", forbund.pk)
    if key not in memo:
        memo[key] = data_version(forbund)
    if memo[key] is None:
        return compute()
    return remember(forbund, name, parts, compute, version=memo[key])


def _read_tables(forbund: Forbund, memo: dict, s: st.Span) -> dict[int, dict]:
    """Each insats' participants by kon (new, active, ended), avslut, utfall and attendees for the
    span, counted as ``statistics.participant_tables`` counts them: one query over the participant
    records (grouped by insats, kon and avslutsorsak), the snapshots, and one over the monthly
    counts. The tables the kinds do not use (age, remittent, försörjning) are not read, and the
    step table only when a kind asks for it (``_steps``)."""
    ids = list(_insatser(forbund, memo))
    snapshots = _snapshots(forbund, memo, s)
    tables = {insats_id: st.empty_tables() for insats_id in ids}
    new_q, ended_q = Q(start_date__gte=s.start), Q(end_date__lte=s.end)
    rows = (
        st._counted(forbund, [i for i in ids if i not in snapshots], s)
        .order_by()
        .values("insats_id", "kon", "avslutsorsak__label", "avslutsorsak__outcome")
        .annotate(n_new=Count("pk", filter=new_q), n_active=Count("pk"), n_ended=Count("pk", filter=ended_q))
    )
    for row in rows:
        table = tables[row["insats_id"]]
        counts = table["kon"][row["kon"]]
        for i, n in enumerate((row["n_new"], row["n_active"], row["n_ended"])):
            counts[i] += n
        if row["n_ended"]:
            label = row["avslutsorsak__label"]
            table["avslut"][label] = table["avslut"].get(label, 0) + row["n_ended"]
            if row["avslutsorsak__outcome"] in ("arbete", "studier"):
                table["utfall"][row["avslutsorsak__outcome"]] += row["n_ended"]
    for insats_id, data in snapshots.items():
        tables[insats_id] = {**st.empty_tables(), **{k: v for k, v in data.items() if k != "manad"}}
    st._count_tables(forbund, ids, s, tables)
    return tables


def _tables(forbund: Forbund, memo: dict, year: int, until: int) -> dict[int, dict]:
    """Every insats' participant tables (without steps) for January–``until`` of ``year``, once per page."""
    key = ("followup.tables", forbund.pk, year, until)
    if key not in memo:
        s = _span(year, until)
        memo[key] = _remembered(forbund, memo, "delmal.tables", s, lambda: _read_tables(forbund, memo, s))
    return memo[key]


def _read_steps(forbund: Forbund, memo: dict, s: st.Span) -> dict[int, dict[str, int]]:
    """Each insats' start-step × latest-step table ("first-latest" -> participants): one query."""
    snapshots = _snapshots(forbund, memo, s)
    ids = list(_insatser(forbund, memo))
    steps: dict[int, dict[str, int]] = {insats_id: {} for insats_id in ids}
    counted = st._counted(forbund, [i for i in ids if i not in snapshots], s)
    for insats_id, first, latest, n in st.step_pairs(forbund, counted, s):
        steps[insats_id][f"{first}-{latest}"] = n
    for insats_id, data in snapshots.items():
        steps[insats_id] = dict(data.get("steg", {}))
    return steps


def _steps(forbund: Forbund, memo: dict, year: int, until: int, insats_id: int | None) -> dict[str, int]:
    """The step table of the insats (or of all the förbund's insatser), read once per page and period."""
    key = ("followup.steps", forbund.pk, year, until)
    if key not in memo:
        s = _span(year, until)
        memo[key] = _remembered(forbund, memo, "delmal.steps", s, lambda: _read_steps(forbund, memo, s))
    steps = memo[key]
    if insats_id:
        return steps.get(insats_id, {})
    total: dict[str, int] = {}
    for table in steps.values():
        for pair, n in table.items():
            total[pair] = total.get(pair, 0) + n
    return total


def _figures(forbund: Forbund, memo: dict, year: int, until: int, insats_id: int | None) -> dict:
    tables = _tables(forbund, memo, year, until)
    if insats_id:
        return tables.get(insats_id) or st.empty_tables()
    return st.merge(list(tables.values()))


def _volumes(forbund: Forbund, memo: dict, year: int) -> dict[int, int]:
    key = ("followup.volumes", forbund.pk, year)
    if key not in memo:
        memo[key] = dict(
            InsatsYear.objects.filter(forbund=forbund, year=year, budgeted_volume__isnull=False).values_list(
                "insats_id", "budgeted_volume"
            )
        )
    return memo[key]


@dataclass(frozen=True, slots=True)
class SurveyFigures:
    """What the survey kinds read of one survey: its figures summed in SQL, no model objects."""

    kind: str
    period: str
    insats_id: int | None
    asked: int
    answered: int
    name: str
    questions: int
    answers: int
    positive: int

    def __str__(self) -> str:
        return self.name


def _read_surveys(forbund: Forbund, year: int) -> list[SurveyFigures]:
    """The year's surveys (förbund-wide ones included) with their questions and their answers and
    positive answers summed over the options, in one query."""
    kinds = dict(SurveyKind.choices)
    rows = (
        Survey.objects.filter(forbund=forbund, year=year)
        .order_by("pk")
        .values_list("kind", "period", "insats_id", "asked", "answered", "name")
        .annotate(
            n_questions=Count("questions", distinct=True),
            n_answers=Sum("questions__options__count"),
            n_positive=Sum("questions__options__count", filter=Q(questions__options__positive=True)),
        )
    )
    return [
        SurveyFigures(
            kind, period, insats_id, asked, answered, name or str(kinds.get(kind, kind)), q, a or 0, p or 0
        )
        for kind, period, insats_id, asked, answered, name, q, a, p in rows
    ]


def _surveys(forbund: Forbund, memo: dict, year: int) -> list[SurveyFigures]:
    key = ("followup.surveys", forbund.pk, year)
    if key not in memo:
        memo[key] = _cached(forbund, memo, "delmal.surveys", (year,), lambda: _read_surveys(forbund, year))
    return memo[key]


def _insats_name(forbund: Forbund, memo: dict, insats_id: int | None) -> str:
    if not insats_id:
        return "förbundets insatser"
    return f"insatsen {_insatser(forbund, memo).get(insats_id, '')}"


# --- Judging --------------------------------------------------------------------------------


def _period(year: int, until: int) -> str:
    return f"januari–{MONTH_NAMES[until - 1]} {year}" if until > 1 else f"januari {year}"


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _met(value, *, comparator: str, target, target_max, baseline_value=None) -> bool | None:
    """The delmål's target against the value; None when the delmål states no comparable target."""
    if value is None:
        return None
    value = Decimal(value)
    if comparator == Comparator.MINST and target is not None:
        return value >= target
    if comparator == Comparator.HOGST and target is not None:
        return value <= target
    if comparator == Comparator.LIKA and target is not None:
        return value == target
    if comparator == Comparator.INTERVALL and target is not None:
        return target <= value <= (target_max if target_max is not None else target)
    if comparator == Comparator.OKA and baseline_value is not None:
        return value > baseline_value
    if comparator == Comparator.MINSKA and baseline_value is not None:
        return value < baseline_value
    return None


def _verdict(met: bool | None) -> str:
    if met is None:
        return " Delmålet anger inget målvärde att jämföra med."
    return " Målet är uppfyllt." if met else " Målet är inte uppfyllt."


def _share_hidden(part: int, whole: int) -> bool:
    """A share of people that would reveal a group of 1–4 (``selectors.safe_share``'s rule)."""
    return whole <= SMALL_MAX or is_small(part) or is_small(whole - part)


# --- The kinds --------------------------------------------------------------------------------


def participants_compared(
    *,
    forbund: Forbund,
    memo: dict,
    year: int,
    until_month: int,
    insats_id,
    comparator,
    target,
    target_max,
    baseline_year,
    baseline_value,
) -> KindResult:
    """Participants active in the period (records and counts) against the same months of an earlier year."""
    other_year = baseline_year if baseline_year and baseline_year < year else year - 1
    now = st.totals(_figures(forbund, memo, year, until_month, insats_id))[1]
    before = st.totals(_figures(forbund, memo, other_year, until_month, insats_id))[1]
    where = _insats_name(forbund, memo, insats_id)
    months = _period(year, until_month)
    if is_small(now) or is_small(before):
        return KindResult(None, None, f"Deltagare i {where} {months} jämfört med {other_year}: {HIDDEN}")
    if comparator in (Comparator.OKA, Comparator.MINSKA):
        # Against the counted earlier year; the delmål's stated baseline only when nothing was counted.
        reference = Decimal(before) if before or baseline_value is None else baseline_value
        met = _met(now, comparator=comparator, target=None, target_max=None, baseline_value=reference)
    else:
        met = _met(now, comparator=comparator, target=target, target_max=target_max)
    change = "fler än" if now > before else ("färre än" if now < before else "lika många som")
    return KindResult(
        met,
        now,
        f"{format_number(now)} deltagare i {where} {months} (aktiva någon gång under perioden, från "
        f"deltagarregister och månadsantal), {change} samma månader {other_year} "
        f"({format_number(before)}).{_verdict(met)}",
    )


def mean_movement(
    *,
    forbund: Forbund,
    memo: dict,
    year: int,
    until_month: int,
    insats_id,
    comparator,
    target,
    target_max,
    baseline_year,
    baseline_value,
) -> KindResult:
    """Mean step movement (latest minus first assessment) of the period's participants."""
    move = st.movement(_steps(forbund, memo, year, until_month, insats_id))
    where = _insats_name(forbund, memo, insats_id)
    months = _period(year, until_month)
    if move.participants == 0:
        return KindResult(
            None, None, f"Ingen deltagare i {where} {months} har bedömts vid två tillfällen ännu."
        )
    if move.participants <= SMALL_MAX:
        return KindResult(None, None, f"Stegförflyttning i {where} {months}: {HIDDEN}")
    mean = Decimal(str(move.mean)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    met = _met(
        mean, comparator=comparator, target=target, target_max=target_max, baseline_value=baseline_value
    )
    return KindResult(
        met,
        mean,
        f"{format_number(move.participants)} deltagare i {where} {months} har bedömts vid minst två "
        f"tillfällen; i genomsnitt har de rört sig {format_number(mean)} steg (senaste minus första "
        f"bedömningen).{_verdict(met)}",
    )


def moved_share(
    *,
    forbund: Forbund,
    memo: dict,
    year: int,
    until_month: int,
    insats_id,
    at_least: int,
    comparator,
    target,
    target_max,
    baseline_year,
    baseline_value,
) -> KindResult:
    """The share of the period's assessed participants who moved at least ``at_least`` steps."""
    move = st.movement(_steps(forbund, memo, year, until_month, insats_id))
    where = _insats_name(forbund, memo, insats_id)
    months = _period(year, until_month)
    moved, whole = move.share(at_least)
    if whole == 0:
        return KindResult(
            None, None, f"Ingen deltagare i {where} {months} har bedömts vid två tillfällen ännu."
        )
    if _share_hidden(moved, whole):
        return KindResult(
            None, None, f"Andel som rört sig minst {at_least} steg i {where} {months}: {HIDDEN}"
        )
    share = _percent(moved, whole)
    met = _met(
        share, comparator=comparator, target=target, target_max=target_max, baseline_value=baseline_value
    )
    return KindResult(
        met,
        share,
        f"{format_number(moved)} av {format_number(whole)} bedömda deltagare i {where} {months} har rört "
        f"sig minst {at_least} steg ({format_percent(share)}).{_verdict(met)}",
    )


def _chosen_surveys(forbund, memo, year, until_month, insats_id, sources) -> list:
    return [
        survey
        for survey in _surveys(forbund, memo, year)
        if survey.kind in sources
        and SURVEY_PERIOD_END[survey.period] <= until_month
        and (not insats_id or survey.insats_id == insats_id)
    ]


def _survey_names(surveys) -> str:
    names = sorted({str(survey) for survey in surveys})
    return ", ".join(names)


def response_rate(
    *,
    forbund: Forbund,
    memo: dict,
    year: int,
    until_month: int,
    insats_id,
    sources,
    comparator,
    target,
    target_max,
    baseline_year,
    baseline_value,
) -> KindResult:
    """Answered over asked, summed over the period's surveys of the delmål's insats and source."""
    surveys = _chosen_surveys(forbund, memo, year, until_month, insats_id, sources)
    asked = sum(survey.asked for survey in surveys)
    answered = sum(survey.answered for survey in surveys)
    where = _insats_name(forbund, memo, insats_id)
    months = _period(year, until_month)
    if asked == 0:
        return KindResult(None, None, f"Det finns ingen enkät för {where} {months} att räkna på.")
    share = _percent(answered, asked)
    met = _met(
        share, comparator=comparator, target=target, target_max=target_max, baseline_value=baseline_value
    )
    return KindResult(
        met,
        share,
        f"{format_number(answered)} av {format_number(asked)} tillfrågade svarade ({format_percent(share)}) "
        f"i {_survey_names(surveys)} för {where} {months}.{_verdict(met)}",
    )


def positive_share(
    *,
    forbund: Forbund,
    memo: dict,
    year: int,
    until_month: int,
    insats_id,
    sources,
    comparator,
    target,
    target_max,
    baseline_year,
    baseline_value,
) -> KindResult:
    """The answers on options marked positive over all answers, in the period's chosen surveys."""
    surveys = _chosen_surveys(forbund, memo, year, until_month, insats_id, sources)
    answers = sum(survey.answers for survey in surveys)
    positive = sum(survey.positive for survey in surveys)
    where = _insats_name(forbund, memo, insats_id)
    months = _period(year, until_month)
    if answers == 0:
        return KindResult(None, None, f"Det finns inga enkätsvar för {where} {months} att räkna på.")
    share = _percent(positive, answers)
    met = _met(
        share, comparator=comparator, target=target, target_max=target_max, baseline_value=baseline_value
    )
    questions = sum(survey.questions for survey in surveys)
    return KindResult(
        met,
        share,
        f"{format_number(positive)} av {format_number(answers)} svar på {format_number(questions)} frågor "
        f"({format_percent(share)}) gavs med de svarsalternativ som räknas som positiva, i "
        f"{_survey_names(surveys)} för {where} {months}.{_verdict(met)}",
    )


def volume_share(
    *,
    forbund: Forbund,
    memo: dict,
    year: int,
    until_month: int,
    insats_id,
    comparator,
    target,
    target_max,
    baseline_year,
    baseline_value,
) -> KindResult:
    """Participants (and attendees where an insats counts them) against the year's budgeted volume."""
    volumes = _volumes(forbund, memo, year)
    ids = [insats_id] if insats_id else list(volumes)
    ids = [i for i in ids if volumes.get(i)]
    where = _insats_name(forbund, memo, insats_id)
    months = _period(year, until_month)
    if not ids:
        return KindResult(None, None, f"Ingen budgeterad volym är angiven för {where} {year}.")
    tables = _tables(forbund, memo, year, until_month)
    empty = st.empty_tables()
    reached = sum(st.totals(tables.get(i, empty))[1] + tables.get(i, empty).get("attendees", 0) for i in ids)
    volume = sum(volumes[i] for i in ids)
    if is_small(reached):
        return KindResult(None, None, f"Deltagare mot budgeterad volym i {where} {months}: {HIDDEN}")
    share = _percent(reached, volume)
    met = _met(
        share, comparator=comparator, target=target, target_max=target_max, baseline_value=baseline_value
    )
    if met is None and not comparator:
        # "Budgeterade volymmål nås" states no number: the volume itself is the target.
        met = reached >= volume
    return KindResult(
        met,
        share,
        f"{format_number(reached)} deltagare i {where} {months} mot en budgeterad volym på "
        f"{format_number(volume)} för året ({format_percent(share)}); deltagare vid tillfällen räknas "
        f"för insatser som följs upp med antal.{_verdict(met)}",
    )


def ended_to_work_or_studies(
    *,
    forbund: Forbund,
    memo: dict,
    year: int,
    until_month: int,
    insats_id,
    comparator,
    target,
    target_max,
    baseline_year,
    baseline_value,
) -> KindResult:
    """The share of participants ended in the period whose avslutsorsak counts as arbete or studier."""
    figures = _figures(forbund, memo, year, until_month, insats_id)
    ended = sum(figures["avslut"].values())
    to_work = figures["utfall"]["arbete"] + figures["utfall"]["studier"]
    where = _insats_name(forbund, memo, insats_id)
    months = _period(year, until_month)
    if ended == 0:
        return KindResult(None, None, f"Ingen deltagare i {where} har avslutats {months}.")
    if _share_hidden(to_work, ended):
        return KindResult(None, None, f"Avslutade till arbete eller studier i {where} {months}: {HIDDEN}")
    share = _percent(to_work, ended)
    met = _met(
        share, comparator=comparator, target=target, target_max=target_max, baseline_value=baseline_value
    )
    return KindResult(
        met,
        share,
        f"{format_number(to_work)} av {format_number(ended)} deltagare som avslutades i {where} {months} "
        f"gick till arbete eller studier ({format_percent(share)}; felregistreringar räknas inte)."
        f"{_verdict(met)}",
    )


KINDS = {
    IndicatorKind.DELTAGARE_JAMFORT: (arguments, participants_compared),
    IndicatorKind.STEG_MEDEL: (arguments, mean_movement),
    IndicatorKind.STEG_ANDEL: (steps_arguments, moved_share),
    IndicatorKind.SVARSFREKVENS: (survey_arguments, response_rate),
    IndicatorKind.ANDEL_POSITIVA: (survey_arguments, positive_share),
    IndicatorKind.VOLYM_ANDEL: (arguments, volume_share),
    IndicatorKind.AVSLUT_ARBETE_STUDIER: (arguments, ended_to_work_or_studies),
}


def _with_memo(compute):
    def run(*, forbund: Forbund, memo: dict | None = None, **kwargs) -> KindResult:
        return compute(forbund=forbund, memo={} if memo is None else memo, **kwargs)

    run.__doc__ = compute.__doc__
    return run


def register() -> None:
    """Register the follow-up's computed kinds with apps.goals."""
    for kind, (make_arguments, compute) in KINDS.items():
        computed.register(kind, arguments=make_arguments, compute=_with_memo(compute))
