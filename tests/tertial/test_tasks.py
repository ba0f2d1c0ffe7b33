"""The beat task: drafts each ended tertial's report once, for förbund with an adopted plan, and e-mails."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core import mail

from apps.plans import services as plan_services
from apps.tenancy.scope import tenant_scope
from apps.tertial.models import EventAction, ReportEvent, TertialReport
from apps.tertial.tasks import create_tertial_drafts, ended_tertial

from .conftest import YEAR


def adopt_plan(forbund, actor, year=YEAR):
    with tenant_scope(forbund):
        plan = plan_services.plan_create(forbund=forbund, actor=actor, year=year)
        version = plan.versions.get()
        plan_services.version_send_to_remiss(forbund=version.forbund, version=version, actor=actor)
        plan_services.version_adopt(
            forbund=version.forbund,
            version=version,
            actor=actor,
            adopted_on=datetime.date(year - 1, 11, 30),
            decision_paragraph="§ 45",
        )


@pytest.fixture
def adopted_a(world, forbund_a, alice, kim, stina):
    """A has an adopted 2026 plan; the noise förbund B has plan data but no adopted plan."""
    adopt_plan(forbund_a, alice)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-05-01", (2026, 1)),
        ("2026-09-01", (2026, 2)),
        ("2027-01-01", (2026, 3)),
        ("2026-04-30", (2025, 3)),
    ],
)
def test_ended_tertial(day, expected):
    assert ended_tertial(datetime.date.fromisoformat(day)) == expected


def test_beat_task_drafts_report_for_forbund_with_adopted_plan_only(adopted_a, forbund_a, forbund_b):
    assert create_tertial_drafts(today="2026-05-01") == 1
    with tenant_scope(forbund_a):
        reports = list(TertialReport.objects.values_list("year", "tertial"))
        actions = list(ReportEvent.objects.values_list("action", flat=True))
    with tenant_scope(forbund_b):
        noise = TertialReport.objects.count()
    assert reports == [(YEAR, 1)]
    assert actions == [EventAction.CREATED_AUTO]
    assert noise == 0


def test_beat_task_twice_creates_the_draft_once(adopted_a, forbund_a):
    first = create_tertial_drafts(today="2026-05-01")
    second = create_tertial_drafts(today="2026-05-02")
    with tenant_scope(forbund_a):
        count = TertialReport.objects.count()
    assert (first, second, count) == (1, 0, 1)
    assert len(mail.outbox) == 2  # förbundschef and kansli, once


def test_beat_task_leaves_a_report_made_by_hand(adopted_a, forbund_a, alice):
    from .conftest import create_report

    create_report(forbund_a, alice, tertial=1)
    assert create_tertial_drafts(today="2026-05-01") == 0
    assert mail.outbox == []


def test_beat_task_emails_forbundschef_and_kansli(adopted_a, alice, kim, stina):
    create_tertial_drafts(today="2026-09-01")
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([alice.email, kim.email])
    assert "Tertialrapport T2 2026 är skapad" in mail.outbox[0].subject
    assert "/f/alfa/tertial/" in mail.outbox[0].body


def test_beat_schedule_runs_the_task_after_each_tertial():
    entry = settings.CELERY_BEAT_SCHEDULE["tertial-drafts"]
    assert entry["task"] == "apps.tertial.tasks.create_tertial_drafts"
    assert entry["schedule"].month_of_year == {1, 5, 9}
    assert 1 in entry["schedule"].day_of_month
