"""Starting year N+1 from year N: what is copied, what is not, refusals and the audit trail."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.goals import services as goals_services
from apps.goals.models import Delmal, Malomrade
from apps.insatser.models import Insats, InsatsYear
from apps.members import services as members_services
from apps.members.models import Styrelseledamot, Styrelsemote
from apps.plans import yearcopy

from .conftest import YEAR, make_plan

NEXT = YEAR + 1


def _start(forbund, actor, from_year=YEAR):
    return yearcopy.year_start_next(forbund=forbund, actor=actor, from_year=from_year)


def test_year_start_next_copies_malomraden_with_same_numbers(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a):
        _start(forbund_a, alice)
        rows = list(
            Malomrade.objects.filter(forbund=forbund_a, year=NEXT).values_list(
                "number", "title", "description"
            )
        )
    assert rows == [(1, "Målområde 1 alfa", "Beskrivning 1")]


def test_year_start_next_copies_delmal_texts_targets_and_insats_links(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a):
        _start(forbund_a, alice)
        copied = list(Delmal.objects.filter(forbund=forbund_a, malomrade__year=NEXT).order_by("number"))
    assert [(d.number, d.text, d.insats_id) for d in copied] == [
        (1, "Fler når arbete 1 alfa", None),
        (2, "70 % av avslutade ärenden når egen försörjning 1", plans["alfa"]["running"].pk),
    ]
    assert (copied[1].target_comparator, copied[1].target_value, copied[1].responsible) == (
        "minst",
        Decimal("70.00"),
        "Förbundschef",
    )


def test_year_start_next_keeps_delmal_baseline(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a):
        _start(forbund_a, alice)
        delmal = Delmal.objects.get(forbund=forbund_a, malomrade__year=NEXT, number=1)
    assert (delmal.baseline_year, delmal.baseline_value) == (2022, Decimal("35.00"))


def test_year_start_next_copies_running_insats_year_rows(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a):
        _start(forbund_a, alice)
        names = set(
            InsatsYear.objects.filter(forbund=forbund_a, year=NEXT).values_list("insats__name", flat=True)
        )
    assert names == {f"SamCoach {YEAR}", f"Långsiktig {YEAR}", f"Fortsätter {YEAR}"}


def test_year_start_next_copies_budget_and_avtal_with_shifted_dates(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a):
        _start(forbund_a, alice)
        row = InsatsYear.objects.get(forbund=forbund_a, year=NEXT, insats=plans["alfa"]["running"])
    assert (row.budget_amount, row.financed_fte, row.budgeted_volume, row.avtal_amount) == (
        1_250_000,
        Decimal("2.50"),
        40,
        1_250_000,
    )
    assert row.avtal_parties == "Region alfa 2026 och förbundet"
    assert (row.avtal_start, row.avtal_end) == (datetime.date(NEXT, 1, 1), datetime.date(NEXT, 12, 31))
    assert row.avtal_signed_date is None


def test_year_start_next_skips_insatser_not_running(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a):
        _start(forbund_a, alice)
        skipped = InsatsYear.objects.filter(
            forbund=forbund_a,
            year=NEXT,
            insats__name__in=[f"Slutar i år {YEAR}", f"Avslutad {YEAR}", f"Avslag {YEAR}", f"Äskande {YEAR}"],
        )
        assert not skipped.exists()


def test_year_start_next_keeps_source_rows(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a):
        _start(forbund_a, alice)
        assert InsatsYear.objects.filter(forbund=forbund_a, year=YEAR).count() == 7
        assert Malomrade.objects.filter(forbund=forbund_a, year=YEAR).count() == 1


def test_year_start_next_shifts_meetings_one_year(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a):
        _start(forbund_a, alice)
        rows = list(
            Styrelsemote.objects.filter(forbund=forbund_a, year=NEXT)
            .order_by("month")
            .values_list("date", "month")
        )
    assert rows == [(datetime.date(NEXT, 3, 15), 3), (None, 9)]


def test_year_start_next_bumps_years_in_meeting_items(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a):
        summary = _start(forbund_a, alice)
        mote = Styrelsemote.objects.get(forbund=forbund_a, year=NEXT, month=3)
    assert mote.items == f"Beslut om årsredovisning {YEAR}\nVerksamhetsplan och budget {NEXT + 1}"
    assert summary.meetings_with_changed_years == [mote]


def test_year_start_next_keeps_items_without_years(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a):
        _start(forbund_a, alice)
        assert Styrelsemote.objects.get(forbund=forbund_a, year=NEXT, month=9).items == "Tertialrapport T2"


def test_year_start_next_moves_leap_day_to_feb_28(forbund_a, forbund_b, alice, in_scope):
    make_plan(forbund_b, year=2028)
    with in_scope(forbund_a):
        members_services.styrelsemote_create(
            forbund=forbund_a, actor=alice, year=2028, date=datetime.date(2028, 2, 29), items="Möte"
        )
        yearcopy.year_start_next(forbund=forbund_a, actor=alice, from_year=2028)
        mote = Styrelsemote.objects.get(forbund=forbund_a, year=2029)
    assert (mote.date, mote.month) == (datetime.date(2029, 2, 28), 2)


def test_bump_years_in_text_leaves_far_years_alone():
    text = "Lag (2003:1210), årsredovisning 2025, budget 2027, plan 2027–2029, 2030 och 2024"
    assert yearcopy.bump_years_in_text(text, from_year=2026) == (
        "Lag (2003:1210), årsredovisning 2026, budget 2028, plan 2028–2030, 2030 och 2024"
    )


def test_shift_date_keeps_none():
    assert yearcopy.shift_date(None) is None


def test_year_start_next_copies_no_seats_and_lists_expiring(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a):
        before = Styrelseledamot.objects.filter(forbund=forbund_a).count()
        summary = _start(forbund_a, alice)
        after = Styrelseledamot.objects.filter(forbund=forbund_a).count()
    assert before == after == 2
    assert [seat.person_name for seat in summary.expiring_seats] == ["Utgående alfa"]
    assert "Mandat som löper ut 2026: Utgående alfa." in summary.message


def test_year_start_next_summary_counts(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a):
        summary = _start(forbund_a, alice)
    assert (summary.malomraden, summary.delmal, summary.insats_years, summary.meetings) == (1, 2, 3, 2)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("malomrade", "1 målområden"), ("insats_year", "1 insatsår"), ("mote", "1 styrelsemöten")],
)
def test_year_start_next_refuses_when_next_year_has_data(forbund_a, alice, plans, in_scope, kind, expected):
    with in_scope(forbund_a):
        if kind == "malomrade":
            goals_services.malomrade_create(forbund=forbund_a, actor=alice, year=NEXT, title="Finns redan")
        elif kind == "insats_year":
            from apps.insatser import services as insatser_services

            insatser_services.insats_year_create(
                forbund=forbund_a, actor=alice, insats=plans["alfa"]["running"], year=NEXT
            )
        else:
            members_services.styrelsemote_create(forbund=forbund_a, actor=alice, year=NEXT, month=5)
        with pytest.raises(ValidationError) as exc:
            _start(forbund_a, alice)
        counts = (
            Malomrade.objects.filter(forbund=forbund_a, year=NEXT).count(),
            InsatsYear.objects.filter(forbund=forbund_a, year=NEXT).count(),
            Styrelsemote.objects.filter(forbund=forbund_a, year=NEXT).count(),
        )
    assert f"År {NEXT} har redan {expected}" in exc.value.messages[0]
    assert sum(counts) == 1


def test_year_start_next_refuses_year_without_data(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        _start(forbund_a, alice, from_year=2020)
    assert exc.value.messages == ["Det finns inget att kopiera från 2020."]


def test_year_start_next_writes_nothing_when_a_copy_fails(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a):
        # A delmål whose baseline is the new year cannot be copied: the whole copy is undone.
        delmal = Delmal.objects.get(forbund=forbund_a, malomrade__year=YEAR, number=1)
        Delmal.objects.filter(pk=delmal.pk).update(baseline_year=NEXT)
        with pytest.raises(ValidationError):
            _start(forbund_a, alice)
        assert not Malomrade.objects.filter(forbund=forbund_a, year=NEXT).exists()
        assert not Styrelsemote.objects.filter(forbund=forbund_a, year=NEXT).exists()


def test_year_start_next_leaves_noise_forbund_untouched(forbund_a, forbund_b, alice, plans, in_scope):
    with in_scope(forbund_a):
        _start(forbund_a, alice)
    with in_scope(forbund_b):
        assert not Malomrade.objects.filter(forbund=forbund_b, year=NEXT).exists()
        assert not InsatsYear.objects.filter(forbund=forbund_b, year=NEXT).exists()
        assert not Styrelsemote.objects.filter(forbund=forbund_b, year=NEXT).exists()
        assert Insats.objects.filter(forbund=forbund_b).count() == 7


def test_year_start_next_copies_only_own_rows(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a):
        _start(forbund_a, alice)
        texts = list(Delmal.objects.filter(malomrade__year=NEXT).values_list("text", flat=True))
    assert all("beta" not in text for text in texts)


def test_year_start_next_records_actor_in_audit_trail(forbund_a, alice, plans, in_scope):
    with in_scope(forbund_a):
        _start(forbund_a, alice)
        malomrade = Malomrade.objects.get(forbund=forbund_a, year=NEXT)
        delmal = Delmal.objects.filter(malomrade=malomrade).first()
        row = InsatsYear.objects.filter(forbund=forbund_a, year=NEXT).first()
        mote = Styrelsemote.objects.filter(forbund=forbund_a, year=NEXT).first()
        users = {
            obj.events.get(pgh_label="insert").pgh_context.metadata["user"]
            for obj in (malomrade, delmal, row, mote)
        }
    assert users == {alice.pk}
