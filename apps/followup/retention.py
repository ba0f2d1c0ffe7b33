"""Retention: participant rows, their assessments and the history of both are deleted a set
number of months after the participant's end date, after their statistics are kept as
aggregate snapshots per insats and period (so "compared with last year" still works).

Deleting history goes through ``purge_history`` only: the audit tables are append-only for the
app role, and the database's one purge function (apps.tenancy.walls.history_purge) deletes
the history of registered models' rows once the rows themselves are gone.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q

from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope
from apps.tenancy.walls import history_purge

from . import statistics as st
from .models import AggregateSnapshot, Bedomning, Deltagare
from .selectors import settings_for


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def purge_history(*, forbund: Forbund, model, object_ids: list[int]) -> int:
    """Delete the pghistory events of these deleted rows of ``model`` (the one way history is deleted)."""
    if not object_ids:
        return 0
    with tenant_scope(forbund):
        return history_purge(model=model, object_ids=object_ids)


def snapshot_insats_years(*, forbund: Forbund, pairs: set[tuple[int, int]]) -> int:
    """Keep the statistics of each (insats, year) as snapshots, unless kept already."""
    kept = set(
        AggregateSnapshot.objects.filter(forbund=forbund, insats_id__in={i for i, _ in pairs}).values_list(
            "insats_id", "year"
        )
    )
    created = 0
    for insats_id, year in sorted(pairs - kept):
        for period, data in st.snapshot_data(forbund=forbund, insats_id=insats_id, year=year).items():
            AggregateSnapshot.objects.create(
                forbund=forbund, insats_id=insats_id, year=year, period=period, data=data
            )
            created += 1
    return created


def retention_run(*, forbund: Forbund, today: datetime.date) -> dict[str, int]:
    """Delete participants who ended more than the förbund's retention months ago (idempotent)."""
    months = settings_for(forbund=forbund).retention_months
    cutoff = months_before(today, months)
    with transaction.atomic():
        due = list(
            Deltagare.objects.filter(forbund=forbund, end_date__lt=cutoff).values_list(
                "pk", "insats_id", "start_date", "end_date"
            )
        )
        if not due:
            return {"deltagare": 0, "bedomningar": 0, "snapshots": 0}
        pairs = {
            (insats_id, year)
            for _pk, insats_id, start, end in due
            for year in range(start.year, end.year + 1)
        }
        snapshots = snapshot_insats_years(forbund=forbund, pairs=pairs)
        ids = [row[0] for row in due]
        assessment_ids = list(
            Bedomning.objects.filter(forbund=forbund, deltagare_id__in=ids).values_list("pk", flat=True)
        )
        Bedomning.objects.filter(Q(pk__in=assessment_ids), forbund=forbund).delete()
        Deltagare.objects.filter(forbund=forbund, pk__in=ids).delete()
        # After the deletes, so the delete events the triggers just wrote go as well.
        purge_history(forbund=forbund, model=Bedomning, object_ids=assessment_ids)
        purge_history(forbund=forbund, model=Deltagare, object_ids=ids)
    return {"deltagare": len(ids), "bedomningar": len(assessment_ids), "snapshots": snapshots}
