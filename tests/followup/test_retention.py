"""Retention: rows, assessments and their history go; the statistics stay as snapshots."""

from __future__ import annotations

import datetime

from django.apps import apps

from apps.followup import services, statistics
from apps.followup.models import AggregateSnapshot, Bedomning, Deltagare, Kon
from apps.followup.retention import months_before, retention_run
from apps.followup.tasks import delete_expired_participants

from .conftest import add


def _old_and_new(forbund, setup):
    old = add(forbund, setup["samcoach"], "OLD-1", start=(2023, 2, 1), end=(2023, 6, 30), setup=setup)
    services.bedomning_record(
        forbund=forbund, actor=None, deltagare=old, date=datetime.date(2023, 2, 1), step=setup["steps"][2]
    )
    services.bedomning_record(
        forbund=forbund, actor=None, deltagare=old, date=datetime.date(2023, 6, 1), step=setup["steps"][5]
    )
    recent = add(forbund, setup["samcoach"], "NEW-1", start=(2025, 2, 1), end=(2025, 6, 30), setup=setup)
    return old, recent


def test_months_before_handles_short_months():
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 24) == datetime.date(2024, 1, 15)


def test_retention_run_deletes_rows_assessments_and_history(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        old, recent = _old_and_new(forbund_a, setup)
        result = retention_run(forbund=forbund_a, today=datetime.date(2026, 1, 10))
        assert result["deltagare"] == 1 and result["bedomningar"] == 2
        assert list(Deltagare.objects.filter(forbund=forbund_a).values_list("code", flat=True)) == ["NEW-1"]
        assert not Bedomning.objects.filter(forbund=forbund_a).exists()
        events = apps.get_model("followup", "DeltagareEvent")
        assert not events.objects.filter(pgh_obj_id=old.pk).exists()
        assert events.objects.filter(pgh_obj_id=recent.pk).exists()
        assert not apps.get_model("followup", "BedomningEvent").objects.filter(forbund=forbund_a).exists()


def test_retention_run_keeps_statistics_as_snapshots(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        _old_and_new(forbund_a, setup)
        whole = statistics.span(2023, "ar")
        before = statistics.participant_tables(forbund=forbund_a, insats_ids=[setup["samcoach"].pk], s=whole)
        retention_run(forbund=forbund_a, today=datetime.date(2026, 1, 10))
        after = statistics.participant_tables(forbund=forbund_a, insats_ids=[setup["samcoach"].pk], s=whole)
        assert AggregateSnapshot.objects.filter(forbund=forbund_a, year=2023).count() == 4
    kon = after[setup["samcoach"].pk]["kon"]
    assert kon[Kon.KVINNA] == [1, 1, 1]
    assert after[setup["samcoach"].pk]["steg"] == {"2-5": 1}
    assert after == before


def test_retention_run_is_idempotent(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        _old_and_new(forbund_a, setup)
        retention_run(forbund=forbund_a, today=datetime.date(2026, 1, 10))
        again = retention_run(forbund=forbund_a, today=datetime.date(2026, 1, 10))
    assert again == {"deltagare": 0, "bedomningar": 0, "snapshots": 0}


def test_retention_run_respects_the_forbund_setting(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        _old_and_new(forbund_a, setup)
        services.followup_settings_update(forbund=forbund_a, actor=None, retention_months=60)
        assert retention_run(forbund=forbund_a, today=datetime.date(2026, 1, 10))["deltagare"] == 0


def test_delete_expired_participants_task_leaves_other_forbund(forbund_a, forbund_b, setup, in_scope):
    with in_scope(forbund_a):
        _old_and_new(forbund_a, setup)
    delete_expired_participants.run(forbund_id=forbund_a.pk)
    with in_scope(forbund_b):
        assert Deltagare.objects.filter(forbund=forbund_b).count() == 1
    with in_scope(forbund_a):
        assert not Deltagare.objects.filter(forbund=forbund_a, code="OLD-1").exists()
