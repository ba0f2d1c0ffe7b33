"""Follow-up statistics aggregated in SQL: a fixed number of queries whatever the data size.

``participant_tables`` counts participants of the given insatser in a period — new, active and
ended by gender, age bands, remitterande part, försörjning at start, avslutsorsak, and the
start-step × latest-step table — and adds the monthly counts of insatser followed up as antal.
Periods that lost their rows to retention come from ``AggregateSnapshot`` instead.

Everything here is raw counts for the insats' own staff and for the national export; what other
readers see goes through ``suppression`` (see ``presentation``).
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, CharField, Count, F, Q, Sum, Value, When
from django.utils import timezone

from apps.tenancy.models import Forbund

from .models import AggregateSnapshot, Bedomning, Deltagare, Kon, MonthlyCount, Rater, Remittent, Step

TERTIALS = {"t1": (1, 4), "t2": (5, 8), "t3": (9, 12)}
PERIOD_LABELS = {
    "t1": "T1 (januari–april)",
    "t2": "T2 (maj–augusti)",
    "t3": "T3 (september–december)",
    "hittills": "Året hittills",
    "ar": "Helår",
}
# Periods kept as snapshots when participant rows are deleted.
SNAPSHOT_PERIODS = ("t1", "t2", "t3", "ar")
AGE_BANDS = ("16–19 år", "20–29 år", "30–39 år", "40–49 år", "50–59 år", "60 år och äldre", "Okänd ålder")
KON_ORDER = [k.value for k in Kon]
REMITTENT_LABELS = {Remittent.ANNAN: "Annan", Remittent.SJALV: "Självremiss"}


@dataclass(frozen=True)
class Span:
    """A period of a year: first and last day, first and last month, and its snapshot key."""

    key: str
    year: int
    start: datetime.date
    end: datetime.date
    snapshot_key: str | None

    @property
    def first_month(self) -> int:
        return self.start.month

    @property
    def last_month(self) -> int:
        return self.end.month

    @property
    def label(self) -> str:
        return f"{PERIOD_LABELS[self.key]} {self.year}"


def span(year: int, key: str, *, today: datetime.date | None = None) -> Span:
    """The dates a period key (t1, t2, t3, hittills, ar) covers in ``year``."""
    today = today or timezone.localdate()
    if key in TERTIALS:
        first, last = TERTIALS[key]
        end = datetime.date(year, last, calendar.monthrange(year, last)[1])
        return Span(key, year, datetime.date(year, first, 1), end, key)
    if key == "hittills" and year >= today.year:
        end = min(today, datetime.date(year, 12, 31))
        return Span(key, year, datetime.date(year, 1, 1), end, None)
    return Span(
        "ar" if key != "hittills" else key, year, datetime.date(year, 1, 1), datetime.date(year, 12, 31), "ar"
    )


def empty_tables() -> dict:
    """The count tables of one insats and period, all zero."""
    return {
        "kon": {k: [0, 0, 0] for k in KON_ORDER},  # new, active, ended
        "alder": dict.fromkeys(AGE_BANDS, 0),
        "remittent": {},
        "forsorjning": {},
        "avslut": {},
        "utfall": {"arbete": 0, "studier": 0},
        "steg": {},  # "first-latest" -> participants
        "attendees": 0,
    }


def _counted(forbund: Forbund, insats_ids, s: Span):
    """Participants active in the span, felregistreringar left out (they count nowhere)."""
    return (
        Deltagare.objects.filter(forbund=forbund, insats_id__in=insats_ids, start_date__lte=s.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=s.start))
        .filter(Q(avslutsorsak__isnull=True) | Q(avslutsorsak__excluded=False))
    )


def _age_band(end_year: int):
    whens = [When(birth_year__isnull=True, then=Value(AGE_BANDS[-1]))]
    for limit, band in zip((20, 30, 40, 50, 60), AGE_BANDS, strict=False):
        whens.append(When(birth_year__gt=end_year - limit, then=Value(band)))
    return Case(*whens, default=Value(AGE_BANDS[5]), output_field=CharField())


# First and latest staff assessment up to the span's end of each counted participant, looked up
# in the (förbund, deltagare, date) index: two index probes per participant, a plan that stays
# right whatever the planner's statistics say (a grouping over all assessments joined back to
# the participants became a nested loop over every assessment per participant on freshly loaded,
# unanalysed tables). One assessment per day and rater, so the date orders them; movement needs
# two assessments on different days. Table names come from the models; every value is a parameter.
STEPS_SQL = """
    SELECT c.counted_insats, first_step.number, latest_step.number, COUNT(*)
    FROM ({counted}) c
    CROSS JOIN LATERAL (
        SELECT b.date, b.step_id FROM {bedomning} b
        WHERE b.forbund_id = %s AND b.deltagare_id = c.counted_id AND b.rater = %s AND b.date <= %s
        ORDER BY b.date LIMIT 1
    ) f
    CROSS JOIN LATERAL (
        SELECT b.date, b.step_id FROM {bedomning} b
        WHERE b.forbund_id = %s AND b.deltagare_id = c.counted_id AND b.rater = %s AND b.date <= %s
        ORDER BY b.date DESC LIMIT 1
    ) l
    JOIN {step} first_step ON first_step.id = f.step_id
    JOIN {step} latest_step ON latest_step.id = l.step_id
    WHERE l.date > f.date
    GROUP BY c.counted_insats, first_step.number, latest_step.number
"""


def step_pairs(forbund: Forbund, counted, s: Span) -> list[tuple[int, int, int, int]]:
    """(insats, first step, latest step, participants) over the ``counted`` participants: one query."""
    counted = counted.order_by().annotate(counted_id=F("pk"), counted_insats=F("insats_id"))
    try:
        counted_sql, counted_params = counted.values("counted_id", "counted_insats").query.sql_with_params()
    except EmptyResultSet:  # no insatser to count
        return []
    sql = STEPS_SQL.format(counted=counted_sql, bedomning=Bedomning._meta.db_table, step=Step._meta.db_table)
    edge = [forbund.pk, Rater.PERSONAL, s.end]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*counted_params, *edge, *edge])
        return cursor.fetchall()


def _record_tables(forbund: Forbund, insats_ids, s: Span) -> dict[int, dict]:
    """Count tables from participant records: six queries for any number of insatser and rows."""
    tables: dict[int, dict] = defaultdict(empty_tables)
    base = _counted(forbund, insats_ids, s)
    new_q, ended_q = Q(start_date__gte=s.start), Q(end_date__lte=s.end)
    for row in base.values("insats_id", "kon").annotate(
        n_new=Count("pk", filter=new_q), n_active=Count("pk"), n_ended=Count("pk", filter=ended_q)
    ):
        tables[row["insats_id"]]["kon"][row["kon"]] = [row["n_new"], row["n_active"], row["n_ended"]]
    for row in base.annotate(band=_age_band(s.end.year)).values("insats_id", "band").annotate(n=Count("pk")):
        tables[row["insats_id"]]["alder"][row["band"]] = row["n"]
    for row in (
        base.filter(new_q).values("insats_id", "remittent", "remittent_medlem__name").annotate(n=Count("pk"))
    ):
        label = row["remittent_medlem__name"] or REMITTENT_LABELS.get(row["remittent"], row["remittent"])
        bucket = tables[row["insats_id"]]["remittent"]
        bucket[label] = bucket.get(label, 0) + row["n"]
    for row in base.filter(new_q).values("insats_id", "forsorjning_start__label").annotate(n=Count("pk")):
        tables[row["insats_id"]]["forsorjning"][row["forsorjning_start__label"] or "Ej angiven"] = row["n"]
    for row in (
        base.filter(ended_q)
        .values("insats_id", "avslutsorsak__label", "avslutsorsak__outcome")
        .annotate(n=Count("pk"))
    ):
        tables[row["insats_id"]]["avslut"][row["avslutsorsak__label"]] = row["n"]
        if row["avslutsorsak__outcome"] in ("arbete", "studier"):
            tables[row["insats_id"]]["utfall"][row["avslutsorsak__outcome"]] += row["n"]
    for insats_id, first, latest, n in step_pairs(forbund, base, s):
        tables[insats_id]["steg"][f"{first}-{latest}"] = n
    return tables


def _span_counts(forbund: Forbund, insats_ids, s: Span):
    """The monthly counts (antal) of the insatser within the span's months."""
    return MonthlyCount.objects.filter(
        forbund=forbund,
        insats_id__in=insats_ids,
        year=s.year,
        month__gte=s.first_month,
        month__lte=s.last_month,
    )


def _count_tables(forbund: Forbund, insats_ids, s: Span, tables: dict[int, dict]) -> None:
    """Add the monthly counts (antal) of the span: one query."""
    rows = (
        _span_counts(forbund, insats_ids, s)
        .values("insats_id", "kon")
        .annotate(
            n_new=Sum("new"),
            n_ended=Sum("ended"),
            # Active in a span: active in its first month plus those new in the later months.
            first_active=Sum("active", filter=Q(month=s.first_month)),
            later_new=Sum("new", filter=Q(month__gt=s.first_month)),
            n_attendees=Sum("attendees"),
        )
    )
    for row in rows:
        kon = tables[row["insats_id"]]["kon"][row["kon"]]
        kon[0] += row["n_new"] or 0
        kon[1] += (row["first_active"] or 0) + (row["later_new"] or 0)
        kon[2] += row["n_ended"] or 0
        tables[row["insats_id"]]["attendees"] += row["n_attendees"] or 0


def participant_tables(*, forbund: Forbund, insats_ids, s: Span) -> dict[int, dict]:
    """Count tables per insats for a span: records (or their snapshots) plus monthly counts."""
    insats_ids = list(insats_ids)
    snapshots = {}
    if s.snapshot_key:
        snapshots = dict(
            AggregateSnapshot.objects.filter(
                forbund=forbund, insats_id__in=insats_ids, year=s.year, period=s.snapshot_key
            ).values_list("insats_id", "data")
        )
    tables = _record_tables(forbund, [i for i in insats_ids if i not in snapshots], s)
    for insats_id, data in snapshots.items():
        tables[insats_id] = {**empty_tables(), **{k: v for k, v in data.items() if k != "manad"}}
    _count_tables(forbund, insats_ids, s, tables)
    return {insats_id: tables[insats_id] for insats_id in insats_ids}


def active_counts(*, forbund: Forbund, insats_ids, s: Span) -> dict[int, int]:
    """Active participants per insats in a span over every gender: the same sums as
    ``totals(participant_tables(...)[insats])[1]``, in three queries (for comparing with a year)."""
    insats_ids = list(insats_ids)
    active = dict.fromkeys(insats_ids, 0)
    snapshots = {}
    if s.snapshot_key:
        snapshots = dict(
            AggregateSnapshot.objects.filter(
                forbund=forbund, insats_id__in=insats_ids, year=s.year, period=s.snapshot_key
            ).values_list("insats_id", "data")
        )
    for insats_id, data in snapshots.items():
        active[insats_id] += sum(values[1] for values in data.get("kon", {}).values())
    live = [i for i in insats_ids if i not in snapshots]
    for insats_id, n in (
        _counted(forbund, live, s)
        .order_by()
        .values("insats_id")
        .annotate(n=Count("pk"))
        .values_list("insats_id", "n")
    ):
        active[insats_id] += n
    counts = (
        _span_counts(forbund, insats_ids, s)
        .values("insats_id")
        .annotate(
            first_active=Sum("active", filter=Q(month=s.first_month)),
            later_new=Sum("new", filter=Q(month__gt=s.first_month)),
        )
        .values_list("insats_id", "first_active", "later_new")
    )
    for insats_id, first_active, later_new in counts:
        active[insats_id] += (first_active or 0) + (later_new or 0)
    return active


def monthly_active(*, forbund: Forbund, insats_ids, year: int) -> dict[str, list[int]]:
    """Active participants per month by gender over the insatser (records and counts), three queries."""
    insats_ids = list(insats_ids)
    series = {k: [0] * 12 for k in KON_ORDER}
    snapshotted = AggregateSnapshot.objects.filter(
        forbund=forbund, insats_id__in=insats_ids, year=year, period="ar"
    ).values_list("insats_id", "data")
    skip = set()
    for insats_id, data in snapshotted:
        skip.add(insats_id)
        for kon, values in data.get("manad", {}).items():
            series[kon] = [a + b for a, b in zip(series[kon], values, strict=True)]
    live = [i for i in insats_ids if i not in skip]
    whole = Span("ar", year, datetime.date(year, 1, 1), datetime.date(year, 12, 31), None)
    for kon, values in _record_months(_counted(forbund, live, whole), year).items():
        series[kon] = [a + b for a, b in zip(series[kon], values, strict=True)]
    counts = (
        MonthlyCount.objects.filter(forbund=forbund, insats_id__in=insats_ids, year=year)
        .values("kon", "month")
        .annotate(n=Sum("active"))
    )
    for row in counts:
        series[row["kon"]][row["month"] - 1] += row["n"] or 0
    return series


# --- Derived figures -----------------------------------------------------------------------------


def merge(tables: list[dict]) -> dict:
    """The sum of several insatser's count tables."""
    total = empty_tables()
    for t in tables:
        for kon, values in t["kon"].items():
            total["kon"][kon] = [a + b for a, b in zip(total["kon"][kon], values, strict=True)]
        for key in ("alder", "remittent", "forsorjning", "avslut", "utfall", "steg"):
            for label, n in t[key].items():
                total[key][label] = total[key].get(label, 0) + n
        total["attendees"] += t.get("attendees", 0)
    return total


def totals(t: dict) -> tuple[int, int, int]:
    """New, active and ended over every gender."""
    return tuple(sum(values[i] for values in t["kon"].values()) for i in range(3))  # type: ignore[return-value]


@dataclass
class Movement:
    """Step movement from the start × latest table: count, mean, and how many moved ≥ n steps."""

    participants: int
    mean: float | None
    moved: dict[int, int] = field(default_factory=dict)

    def share(self, at_least: int) -> tuple[int, int]:
        """(moved at least ``at_least`` steps, participants)."""
        return self.moved.get(at_least, 0), self.participants


def movement(steg: dict[str, int], *, max_steps: int = 10) -> Movement:
    """Mean movement (latest minus first) and counts moving at least 1..max_steps steps."""
    n = sum(steg.values())
    if n == 0:
        return Movement(0, None, {})
    pairs = [(tuple(int(x) for x in key.split("-")), count) for key, count in steg.items()]
    diff_sum = sum((latest - first) * count for (first, latest), count in pairs)
    moved = {k: sum(c for (f, lt), c in pairs if lt - f >= k) for k in range(1, max_steps + 1)}
    return Movement(n, diff_sum / n, moved)


def step_matrix(steg: dict[str, int], steps: int) -> list[list[int]]:
    """The start-step (rows) × latest-step (columns) table as a matrix."""
    matrix = [[0] * steps for _ in range(steps)]
    for key, count in steg.items():
        first, latest = (int(x) for x in key.split("-"))
        if 1 <= first <= steps and 1 <= latest <= steps:
            matrix[first - 1][latest - 1] += count
    return matrix


def snapshot_data(*, forbund: Forbund, insats_id: int, year: int) -> dict[str, dict]:
    """Every snapshot period's tables of one insats and year, from the live rows (retention)."""
    data = {}
    for key in SNAPSHOT_PERIODS:
        s = span(year, key)
        tables = _record_tables(forbund, [insats_id], s)[insats_id]
        if key == "ar":
            records = _counted(forbund, [insats_id], s)
            tables["manad"] = _record_months(records, year)
        data[key] = tables
    return data


def _record_months(records, year: int) -> dict[str, list[int]]:
    series = {k: [0] * 12 for k in KON_ORDER}
    annotations = {}
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        annotations[f"m{month}"] = Count(
            "pk", filter=Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))
        )
    for row in records.values("kon").annotate(**annotations):
        series[row["kon"]] = [row[f"m{m}"] for m in range(1, 13)]
    return series
