"""Bulk writes of participants and assessments: validated like one row, all or nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.followup import services
from apps.followup.models import Bedomning, CategoryList, Deltagare, Kon, Rater, Remittent

from .conftest import add, cat


def _row(code, **extra):
    return {
        "code": code,
        "kon": Kon.KVINNA,
        "start_date": datetime.date(2026, 2, 1),
        "remittent": Remittent.SJALV,
        **extra,
    }


def test_deltagare_bulk_create_adds_every_row(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        rows = services.deltagare_bulk_create(
            forbund=forbund_a, actor=None, insats=setup["samcoach"], rows=[_row(f"B-{n}") for n in range(30)]
        )
        assert len(rows) == 30
        assert Deltagare.objects.filter(forbund=forbund_a, insats=setup["samcoach"]).count() == 30


def test_deltagare_bulk_create_refuses_personnummer_and_writes_nothing(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        with pytest.raises(ValidationError, match="personnummer"):
            services.deltagare_bulk_create(
                forbund=forbund_a,
                actor=None,
                insats=setup["samcoach"],
                rows=[_row("B-1"), _row("811228-9874")],
            )
        assert not Deltagare.objects.filter(forbund=forbund_a, insats=setup["samcoach"]).exists()


def test_deltagare_bulk_create_refuses_code_taken_or_repeated(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        add(forbund_a, setup["samcoach"], "B-1")
        with pytest.raises(ValidationError) as info:
            services.deltagare_bulk_create(
                forbund=forbund_a,
                actor=None,
                insats=setup["samcoach"],
                rows=[_row("B-1"), _row("B-2"), _row("B-2")],
            )
        assert info.value.messages == [
            "B-1: Koden används redan i insatsen.",
            "B-2: Koden används redan i insatsen.",
        ]
        assert Deltagare.objects.filter(forbund=forbund_a, insats=setup["samcoach"]).count() == 1


def test_deltagare_bulk_create_checks_the_model_rules(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        wrong_list = cat(setup, CategoryList.AVSLUT, "Arbete")
        with pytest.raises(ValidationError, match="rätt lista"):
            services.deltagare_bulk_create(
                forbund=forbund_a,
                actor=None,
                insats=setup["samcoach"],
                rows=[_row("B-1", forsorjning_start=wrong_list)],
            )


def test_deltagare_bulk_create_refused_for_staff_of_other_insats(forbund_a, setup, olle, in_scope):
    with in_scope(forbund_a), pytest.raises(PermissionDenied):
        services.deltagare_bulk_create(
            forbund=forbund_a, actor=olle, insats=setup["samcoach"], rows=[_row("B-1")]
        )


def test_bedomningar_bulk_create_adds_each(forbund_a, setup, petra, in_scope):
    with in_scope(forbund_a):
        row = add(forbund_a, setup["samcoach"], "B-1")
        steps = setup["steps"]
        services.bedomningar_bulk_create(
            forbund=forbund_a,
            actor=petra,
            insats=setup["samcoach"],
            rows=[
                (row, datetime.date(2026, 2, 1), steps[1], Rater.PERSONAL),
                (row, datetime.date(2026, 3, 1), steps[2], Rater.PERSONAL),
                (row, datetime.date(2026, 3, 1), steps[3], Rater.EGEN),
            ],
        )
        assert Bedomning.objects.filter(forbund=forbund_a, deltagare=row).count() == 3


def test_bedomningar_bulk_create_refuses_dates_outside_and_repeats(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        row = add(forbund_a, setup["samcoach"], "B-1")
        services.bedomning_record(
            forbund=forbund_a,
            actor=None,
            deltagare=row,
            date=datetime.date(2026, 2, 1),
            step=setup["steps"][1],
        )
        with pytest.raises(ValidationError) as info:
            services.bedomningar_bulk_create(
                forbund=forbund_a,
                actor=None,
                insats=setup["samcoach"],
                rows=[
                    (row, datetime.date(2026, 1, 2), setup["steps"][1], Rater.PERSONAL),
                    (row, datetime.date(2026, 2, 1), setup["steps"][2], Rater.PERSONAL),
                    (row, datetime.date(2026, 4, 1), setup["steps"][2], Rater.PERSONAL),
                    (row, datetime.date(2026, 4, 1), setup["steps"][3], Rater.PERSONAL),
                ],
            )
        text = " ".join(info.value.messages)
        assert "B-1 2026-01-02: Datumet ligger utanför" in text
        assert "B-1 2026-02-01: Deltagaren har redan" in text
        assert "B-1 2026-04-01: Deltagaren har redan" in text
        assert Bedomning.objects.filter(forbund=forbund_a).count() == 1


def test_bedomningar_bulk_create_refuses_participant_of_other_insats(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        other = add(forbund_a, setup["steget"], "ST-1")
        with pytest.raises(PermissionDenied):
            services.bedomningar_bulk_create(
                forbund=forbund_a,
                actor=None,
                insats=setup["samcoach"],
                rows=[(other, datetime.date(2026, 2, 1), setup["steps"][1], Rater.PERSONAL)],
            )
