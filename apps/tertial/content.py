"""The report's content, live from the product's data while it is a draft (a JSON-ready dict).

Everything a report shows comes from ``report_content``: goal fulfilment with values,
proposed and set status and trends, the insatser with participants, budget and their
insatsrapport, the economy (budget against utfall, prognosis, eget kapital) and participants
overall. Sending a version stores this dict as ``frozen_data`` (ADR 0007's pattern: data, not
HTML; Decimals as strings). Every function reads in a fixed number of queries whatever the
number of delmål, insatser or budget lines.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import BooleanField, ExpressionWrapper, F, Prefetch, Q
from django.db.models.fields.json import KeyTransform
from django.utils import timezone

from apps.budgets.utfall import selectors as utfall_selectors
from apps.core.charts import Chart, bar_chart
from apps.core.formatting import format_kronor, format_number, format_percent, format_person
from apps.goals import selectors as goal_selectors
from apps.goals.models import Delmal, IndicatorKind, Malomrade
from apps.insatser.models import Insats, InsatsStatus, InsatsYear
from apps.tenancy import datacache
from apps.tenancy.models import Forbund

from . import participants, status
from .models import (
    GOAL_STATUS_SYMBOLS,
    TERTIALS,
    GoalAssessment,
    GoalStatus,
    InsatsReport,
    ReportVersion,
    TertialReport,
)

# Insatser a report covers: those the förbund finances this year.
REPORTED_INSATS_STATUSES = (InsatsStatus.BEVILJAD, InsatsStatus.PAGAENDE, InsatsStatus.AVSLUTAD)


def _dec(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def _str(value) -> str | None:
    return None if value is None else str(value)


def tertial_end(year: int, tertial: int) -> datetime.date:
    """The first day after the tertial (when its report can be drafted)."""
    until = TERTIALS[tertial][2]
    return datetime.date(year + 1, 1, 1) if until == 12 else datetime.date(year, until + 1, 1)


def year_delmal(*, forbund: Forbund, year: int) -> list[Delmal]:
    """The year's delmål in printed order with their målområde (one query)."""
    return list(
        Delmal.objects.filter(forbund=forbund, malomrade__year=year)
        .select_related("malomrade")
        .order_by("malomrade__number", "number")
    )


def format_value(delmal: Delmal | None, value: Decimal | None, *, kind: str = "") -> str:
    """A delmål's value as printed: kronor for budget deviations, else the number and its unit."""
    if value is None:
        return "–"
    kind = kind or (delmal.indicator_kind if delmal else "")
    if kind == IndicatorKind.KOSTNADER_INOM_BUDGET:
        return format_kronor(value)
    if kind == IndicatorKind.EGET_KAPITAL_ANDEL:
        return format_percent(value)
    suffix = delmal.unit_suffix if delmal else ""
    number = format_number(value)
    return f"{number}\u00a0{suffix}" if suffix else number


def _target(delmal: Delmal) -> status.Target | None:
    return status.target_for(
        comparator=delmal.target_comparator,
        target_value=delmal.target_value,
        baseline_value=delmal.baseline_value,
        indicator_kind=delmal.indicator_kind,
        target_max=getattr(delmal, "target_value_max", None),
    )


def _computed(*, forbund: Forbund, year: int, until_month: int, delmal: list[Delmal]) -> dict:
    return goal_selectors.delmal_results(forbund=forbund, year=year, delmal=delmal, until_month=until_month)


def latest_version(*, forbund: Forbund, year: int, tertial: int) -> ReportVersion | None:
    """The version that speaks for a period: the approved one, else the newest (one query)."""
    versions = list(
        ReportVersion.objects.filter(forbund=forbund, report__year=year, report__tertial=tertial)
        .select_related("report")
        .order_by("-number")
    )
    approved = [v for v in versions if v.is_approved]
    return approved[0] if approved else (versions[0] if versions else None)


def _period_version(*, forbund: Forbund, year: int, tertial: int) -> ReportVersion | None:
    """``latest_version`` with only the goals of its frozen content read (``frozen_goals``, None
    without them) and ``frozen_filled`` for whether that content is there (not null, not {}): a
    period's values need nothing else, and a sent report's whole content is large at scale."""
    versions = list(
        ReportVersion.objects.filter(forbund=forbund, report__year=year, report__tertial=tertial)
        .defer("frozen_data")
        .annotate(
            frozen_goals=KeyTransform("goals", "frozen_data"),
            frozen_filled=ExpressionWrapper(
                Q(frozen_data__isnull=False) & ~Q(frozen_data={}), output_field=BooleanField()
            ),
        )
        .order_by("-number")
    )
    approved = [v for v in versions if v.is_approved]
    return approved[0] if approved else (versions[0] if versions else None)


def period_values(*, forbund: Forbund, year: int, tertial: int, today: datetime.date | None = None) -> dict:
    """Each delmål's value for a period by label ("1.2"): from the sent report, else live; {} before it ends.

    The values are Decimals or None; a period that has no report and has not ended yet has none.
    """
    version = _period_version(forbund=forbund, year=year, tertial=tertial)
    if version is not None and version.frozen_filled:
        return {
            row["label"]: _dec(row["value"]) for area in version.frozen_goals or [] for row in area["delmal"]
        }
    today = today or timezone.localdate()
    if version is None and today < tertial_end(year, tertial):
        return {}
    delmal = year_delmal(forbund=forbund, year=year)
    computed = _computed(forbund=forbund, year=year, until_month=TERTIALS[tertial][2], delmal=delmal)
    manual = {}
    if version is not None:
        manual = dict(
            GoalAssessment.objects.filter(forbund=forbund, version=version).values_list("delmal_id", "value")
        )
    values = {}
    for row in delmal:
        result = computed.get(row.pk)
        value = _dec(result.value) if result is not None else manual.get(row.pk)
        values[row.label] = value
    return values


def _previous_period(year: int, tertial: int) -> tuple[int, int]:
    return (year, tertial - 1) if tertial > 1 else (year - 1, 3)


def goals_content(*, report: TertialReport, version: ReportVersion) -> list[dict]:
    """Every målområde and delmål of the year: target, value, status (proposed or set), comment, trends."""
    forbund, year, tertial = report.forbund, report.year, report.tertial
    areas = list(
        Malomrade.objects.filter(forbund=forbund, year=year)
        .prefetch_related(
            # The insats's name only (not a whole Insats per delmål): hundreds of rows at scale.
            Prefetch(
                "delmal",
                queryset=Delmal.objects.filter(forbund=forbund).annotate(insats_name=F("insats__name")),
            )
        )
        .order_by("number")
    )
    # The prefetch sets each delmål's målområde, so row.label reads no more rows.
    delmal = [row for area in areas for row in area.delmal.all()]
    computed = _computed(forbund=forbund, year=year, until_month=report.until_month, delmal=delmal)
    assessments = {a.delmal_id: a for a in GoalAssessment.objects.filter(forbund=forbund, version=version)}
    previous_year, previous_tertial = _previous_period(year, tertial)
    previous = period_values(forbund=forbund, year=previous_year, tertial=previous_tertial)
    last_year = period_values(forbund=forbund, year=year - 1, tertial=tertial)
    final = tertial == 3
    result = []
    for area in areas:
        rows = []
        for row in area.delmal.all():
            computed_result = computed.get(row.pk)
            assessment = assessments.get(row.pk)
            if computed_result is not None:
                value, met, explanation = (
                    _dec(computed_result.value),
                    computed_result.met,
                    computed_result.explanation,
                )
            else:
                value = assessment.value if assessment else None
                met, explanation = None, ""
            target = _target(row)
            proposed = ""
            if row.is_computed or value is not None:
                proposed = status.propose(
                    target=target, value=value, previous=previous.get(row.label), final=final, met=met
                )
            chosen = assessment.status if assessment and assessment.status else ""
            final_status = chosen or proposed
            rows.append(
                {
                    "label": row.label,
                    "text": row.text,
                    "indicator": row.indicator,
                    "insats": row.insats_name if row.insats_id is not None else "",
                    "target": row.target_display,
                    "computed": row.is_computed,
                    "kind": row.indicator_kind,
                    "value": _str(value),
                    "value_display": format_value(row, value),
                    "explanation": explanation,
                    "proposed": proposed,
                    "status": final_status,
                    "status_source": "kansli" if chosen else ("förslag" if proposed else ""),
                    "comment": assessment.comment if assessment else "",
                    "previous": _trend_cell(row, target, value, previous.get(row.label)),
                    "last_year": _trend_cell(row, target, value, last_year.get(row.label)),
                }
            )
        result.append({"number": area.number, "title": area.title, "delmal": rows})
    return result


def _trend_cell(row: Delmal, target, value, other) -> dict:
    return {
        "value": _str(other),
        "display": format_value(row, other),
        "trend": status.trend(target=target, value=value, other=other),
    }


def status_counts(goals: list[dict]) -> list[dict]:
    """How many delmål have each status (and none), in the order of GoalStatus."""
    statuses = [row["status"] for area in goals for row in area["delmal"]]
    counts = [
        {
            "status": s.value,
            "label": s.label,
            "symbol": GOAL_STATUS_SYMBOLS[s],
            "count": statuses.count(s.value),
        }
        for s in GoalStatus
    ]
    counts.append({"status": "", "label": "Utan status", "symbol": "–", "count": statuses.count("")})
    return counts


def reported_insatser(*, forbund: Forbund, year: int) -> list[Insats]:
    """The insatser the report covers: financed this year (a year row), in the printed order."""
    return list(
        Insats.objects.filter(
            forbund=forbund, status__in=REPORTED_INSATS_STATUSES, years__forbund=forbund, years__year=year
        )
        .prefetch_related(
            Prefetch(
                "years", queryset=InsatsYear.objects.filter(forbund=forbund, year=year), to_attr="year_rows"
            )
        )
        .order_by("kind", "position", "name")
        .distinct()
    )


def _period(budget: int, utfall: int) -> dict:
    return {
        "budget": budget,
        "utfall": utfall,
        "deviation": utfall - budget,
        "deviation_percent": _str(utfall_selectors.percent(utfall - budget, budget)),
    }


def _line(row, tertial: int, until_month: int) -> dict:
    return {
        "label": row.label,
        "depth": row.depth,
        "annual": row.annual,
        "period": _period(row.tertials[tertial - 1].budget, row.tertials[tertial - 1].utfall),
        "so_far": _period(sum(row.months_budget[:until_month]), sum(row.months_utfall[:until_month])),
        "prognosis": row.prognosis,
        "prognosis_deviation": row.prognosis_deviation,
        "insats_id": row.line.insats_id if row.line is not None and hasattr(row.line, "insats_id") else None,
    }


def economy_chart(economy: dict, *, tertial: int) -> Chart:
    """Costs per tertial, budget against utfall, drawn from the report's (possibly frozen) figures."""
    tertials = economy["tertials"]
    return bar_chart(
        labels=[t["name"] for t in tertials],
        series=[
            ("Budget", [t["budget"] for t in tertials]),
            ("Utfall", [t["utfall"] if n <= tertial else None for n, t in enumerate(tertials, 1)]),
        ],
        alt="Stapeldiagram: kostnader per tertial, budget och utfall. "
        + " ".join(
            f"{t['name']}: budget {format_kronor(t['budget'])}"
            + (f", utfall {format_kronor(t['utfall'])}." if n <= tertial else ".")
            for n, t in enumerate(tertials, 1)
        ),
        y_title="kr",
    )


def economy_content(*, report: TertialReport, follow) -> dict | None:
    """Budget against utfall per line for the tertial and the year so far, prognosis and eget kapital."""
    if follow is None:
        return None
    tertial, until = report.tertial, report.until_month
    summary = follow.summary
    prognosis_result = summary.income_total - follow.cost_total.prognosis
    closing = summary.eget_kapital_opening - summary.eget_kapital_use + prognosis_result
    ratio = utfall_selectors.percent(closing, summary.driftsbidrag)
    return {
        "months_with_data": follow.months_with_data,
        "cost_lines": [_line(row, tertial, until) for row in follow.cost_lines],
        "cost_total": _line(follow.cost_total, tertial, until),
        "income_lines": [_line(row, tertial, until) for row in follow.income_lines],
        # Every tertial's budget, and utfall up to the report's tertial (later utfall is not the period's).
        "tertials": [
            {"name": TERTIALS[n][0], "budget": p.budget, "utfall": p.utfall if n <= tertial else 0}
            for n, p in zip((1, 2, 3), follow.cost_total.tertials, strict=True)
        ],
        "eget_kapital": {
            "opening": summary.eget_kapital_opening,
            "use": summary.eget_kapital_use,
            "closing_budget": summary.eget_kapital_closing,
            "closing_prognosis": closing,
            "ratio_prognosis": _str(ratio),
            "driftsbidrag": summary.driftsbidrag,
            "limit_percent": 20,
            "warning": ratio is not None and ratio > 20,
        },
    }


def insatser_content(
    *,
    report: TertialReport,
    version: ReportVersion,
    economy: dict | None,
    insatser: list[Insats],
    statistics: dict | None = None,
) -> list[dict]:
    """Each insats with budgeted volume, participants (follow-up), budget against utfall and its report.

    ``statistics`` is ``participants.statistics`` for the report when the caller already read it."""
    forbund = report.forbund
    figures = participants.insats_figures(
        forbund=forbund, year=report.year, tertial=report.tertial, insatser=insatser, page=statistics
    )
    texts = {
        r.insats_id: r
        for r in InsatsReport.objects.filter(forbund=forbund, version=version).select_related("written_by")
    }
    lines: dict[int, dict] = {}
    for line in (economy or {}).get("cost_lines", []):
        if line["insats_id"] and line["insats_id"] not in lines:
            lines[line["insats_id"]] = line
    result = []
    for insats in insatser:
        rows = getattr(insats, "year_rows", [])  # the Prefetch to_attr of reported_insatser
        year_row = rows[0] if rows else None
        text = texts.get(insats.pk)
        line = lines.get(insats.pk)
        result.append(
            {
                "id": insats.pk,
                "public_id": str(insats.public_id),
                "name": insats.name,
                "kind": insats.get_kind_display(),
                "status": insats.get_status_display(),
                "budgeted_volume": year_row.budgeted_volume if year_row else None,
                "budget_amount": year_row.budget_amount if year_row else None,
                "participants": figures.get(insats.pk),
                "economy": {"period": line["period"], "so_far": line["so_far"], "annual": line["annual"]}
                if line
                else None,
                "report": {
                    "text": text.text,
                    "author": _user_name(text.written_by),
                    "updated": text.updated_at.date().isoformat(),
                }
                if text
                else None,
            }
        )
    return result


def _user_name(user) -> str:
    return format_person(user, "okänd")


def report_content(*, version: ReportVersion) -> dict:
    """The whole report for a version: frozen when sent, else computed live (fixed number of queries)."""
    if version.frozen_data is not None:
        return version.frozen_data
    report = version.report
    forbund = report.forbund
    follow = utfall_selectors.followup(forbund=forbund, year=report.year)
    economy = economy_content(report=report, follow=follow)
    goals = goals_content(report=report, version=version)
    insatser = reported_insatser(forbund=forbund, year=report.year)
    # The participant statistics once, for the insatser's tables and the overall section alike.
    statistics = participants.statistics(
        forbund=forbund, year=report.year, tertial=report.tertial, insatser=insatser
    )
    return {
        "forbund": forbund.name,
        "year": report.year,
        "tertial": report.tertial,
        "name": report.name,
        "months": report.months,
        "goals": goals,
        "insatser": insatser_content(
            report=report, version=version, economy=economy, insatser=insatser, statistics=statistics
        ),
        "economy": economy,
        "participants": participants.overall(
            forbund=forbund, year=report.year, tertial=report.tertial, insatser=insatser, page=statistics
        ),
    }


def shown_content(*, version: ReportVersion) -> dict:
    """``report_content`` for the pages that show a version: a draft's live content is cached under
    the förbund's data version (``apps.tenancy.datacache``), so any write to the förbund's rows
    (the draft's own assessments and texts included) is seen by the next request. It is the same
    for every reader; the date (results so far) and the förbund's own row are in the key. Sending
    a report freezes freshly computed content (``services.version_send``), never this."""
    if version.frozen_data is not None:
        return version.frozen_data
    return _cached(version, "tertial-content", lambda: report_content(version=version))


def _cached(version: ReportVersion, name: str, compute) -> dict:
    """A draft's ``compute()`` under the förbund's data version, the date and the förbund's row."""
    forbund = version.report.forbund
    return datacache.remember(forbund, name, (version.pk, timezone.localdate().isoformat()), compute)


def report_progress(*, version: ReportVersion) -> dict:
    """What the overview counts of a version: the goals with their statuses and each insats with
    whether its insatsrapport is written; the content of ``report_content`` without the economy and
    the participant statistics (most of a live draft's cost at national scale), frozen when sent.
    A draft's is cached under the förbund's data version, as ``shown_content`` is."""
    if version.frozen_data is not None:
        return version.frozen_data
    report = version.report

    def progress() -> dict:
        insatser = reported_insatser(forbund=report.forbund, year=report.year)
        reports = InsatsReport.objects.filter(forbund=report.forbund, version=version)
        written = set(reports.values_list("insats_id", flat=True))
        return {
            "goals": goals_content(report=report, version=version),
            "insatser": [{"name": i.name, "report": i.pk in written or None} for i in insatser],
        }

    return _cached(version, "tertial-progress", progress)


def missing(content: dict) -> dict:
    """What the draft still lacks: delmål without status or comment, insatser without a report."""
    rows = [row for area in content["goals"] for row in area["delmal"]]
    return {
        "without_status": [row["label"] for row in rows if not row["status"]],
        "without_comment": [row["label"] for row in rows if not row["comment"].strip()],
        "insatser_without_report": [i["name"] for i in content["insatser"] if not i["report"]],
    }
