"""Warming (apps.tenancy.datacache): after a förbund's data, its own row or the date changes, the
registered warmers run once for it, each in the förbund's scope, and a failing one stops no other."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.core.cache import cache
from django.db import connection

from apps.members.models import Medlem
from apps.tenancy import datacache, tasks
from apps.tenancy.models import Forbund
from apps.tenancy.scope import current_forbund, tenant_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(monkeypatch):
    """Only the test's warmers are registered; each records the förbund in scope when it ran."""
    monkeypatch.setattr(datacache, "_warmers", {})
    seen: list[tuple[str, str]] = []

    @datacache.warmer("first")
    def first(forbund):
        seen.append(("first", current_forbund().slug))

    @datacache.warmer("second")
    def second(forbund):
        seen.append(("second", current_forbund().slug))

    return seen


def _write(forbund, name="Region Alfa"):
    with tenant_scope(forbund):
        Medlem.objects.create(forbund=forbund, name=name, kind="region")


def _fresh(forbund):
    return Forbund.objects.get(pk=forbund.pk)


def test_warmers_run_once_per_change_in_the_forbunds_scope(calls, forbund_a):
    _write(forbund_a)
    assert datacache.warm_if_changed(_fresh(forbund_a)) == ["first", "second"]
    assert calls == [("first", "alfa"), ("second", "alfa")]
    assert datacache.warm_if_changed(_fresh(forbund_a)) is None  # nothing changed since
    assert len(calls) == 2
    _write(forbund_a, "Motala kommun")
    assert datacache.warm_if_changed(_fresh(forbund_a)) == ["first", "second"]
    assert len(calls) == 4


def test_a_changed_forbund_row_or_a_new_day_warms_again(calls, forbund_a, monkeypatch):
    _write(forbund_a)
    datacache.warm_if_changed(_fresh(forbund_a))
    forbund = _fresh(forbund_a)
    forbund.name = "Samordningsförbundet Alfa (nytt namn)"
    forbund.save()
    assert datacache.warm_if_changed(_fresh(forbund_a)) == ["first", "second"]
    assert datacache.warm_if_changed(_fresh(forbund_a)) is None
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(datacache.timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert datacache.warm_if_changed(_fresh(forbund_a)) == ["first", "second"]


def test_a_forbund_without_a_data_version_is_not_warmed(calls, forbund_a):
    with tenant_scope(forbund_a), connection.cursor() as cursor:
        cursor.execute("DELETE FROM tenancy_dataversion WHERE forbund_id = %s", [forbund_a.pk])
    assert datacache.warm_if_changed(_fresh(forbund_a)) is None
    assert calls == []


def test_a_failing_warmer_is_logged_and_the_others_still_run(calls, forbund_a, caplog):
    @datacache.warmer("broken")
    def broken(forbund):
        with connection.cursor() as cursor:  # aborts its own transaction, not the next warmer's
            cursor.execute("SELECT 1/0")

    @datacache.warmer("after")
    def after(forbund):
        calls.append(("after", Medlem.objects.filter(forbund=forbund).count()))

    _write(forbund_a)
    with caplog.at_level(logging.ERROR, logger="apps.tenancy.datacache"):
        assert datacache.warm_if_changed(_fresh(forbund_a)) == ["first", "second", "after"]
    assert ("after", 1) in calls
    assert "Uppvärmningen broken misslyckades för alfa" in caplog.text


def test_the_task_warms_only_the_changed_forbund(calls, forbund_a, forbund_b):
    _write(forbund_a)
    _write(forbund_b, "Region Beta")
    assert tasks.warm_changed_caches() == {"alfa": ["first", "second"], "beta": ["first", "second"]}
    _write(forbund_b, "Region Beta 2")
    assert tasks.warm_changed_caches() == {"beta": ["first", "second"]}
    assert tasks.warm_changed_caches() == {}


def test_a_run_under_way_makes_the_next_one_skip(calls, forbund_a):
    _write(forbund_a)
    cache.set(tasks.LOCK_KEY, 1, 60)
    try:
        assert tasks.warm_changed_caches() == {}
        assert calls == []
    finally:
        cache.delete(tasks.LOCK_KEY)
    assert tasks.warm_changed_caches() == {"alfa": ["first", "second"]}
    assert cache.get(tasks.LOCK_KEY) is None  # released after the run


def test_the_beat_runs_the_task_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["warm-changed-caches"]
    assert entry["task"] == "apps.tenancy.tasks.warm_changed_caches"
    assert entry["schedule"] == 60.0
