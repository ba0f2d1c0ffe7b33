"""Follow-up services: defaults, scales, participants, assessments, counts and surveys."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.followup import services
from apps.followup.models import (
    Bedomning,
    Category,
    CategoryList,
    Deltagare,
    Kon,
    MonthlyCount,
    Remittent,
    Step,
)

from .conftest import add, cat


def test_followup_defaults_ensure_is_idempotent(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        services.followup_defaults_ensure(forbund=forbund_a, actor=None)
        assert Category.objects.filter(forbund=forbund_a, kind=CategoryList.AVSLUT).count() == 9
        assert list(Step.objects.filter(forbund=forbund_a).values_list("number", flat=True)) == [
            1,
            2,
            3,
            4,
            5,
            6,
        ]


def test_followup_defaults_felregistrering_counts_nowhere(forbund_a, setup):
    assert cat(setup, CategoryList.AVSLUT, "Felregistrering").excluded
    assert cat(setup, CategoryList.AVSLUT, "Arbete").outcome == "arbete"


def test_deltagare_create_by_granted_staff(forbund_a, setup, petra, in_scope):
    with in_scope(forbund_a):
        row = services.deltagare_create(
            forbund=forbund_a,
            actor=petra,
            insats=setup["samcoach"],
            code="SC-1",
            kon=Kon.MAN,
            start_date=datetime.date(2026, 2, 1),
            remittent=Remittent.MEDLEM,
            remittent_medlem=setup["medlem"],
        )
    assert row.forbund_id == forbund_a.pk


def test_deltagare_create_refused_for_staff_of_other_insats(forbund_a, setup, olle, in_scope):
    with in_scope(forbund_a), pytest.raises(PermissionDenied):
        services.deltagare_create(
            forbund=forbund_a,
            actor=olle,
            insats=setup["samcoach"],
            code="SC-1",
            kon=Kon.MAN,
            start_date=datetime.date(2026, 2, 1),
            remittent=Remittent.SJALV,
        )


def test_deltagare_create_refused_for_forbundschef(forbund_a, setup, alice, in_scope):
    with in_scope(forbund_a), pytest.raises(PermissionDenied):
        services.deltagare_create(
            forbund=forbund_a,
            actor=alice,
            insats=setup["samcoach"],
            code="SC-1",
            kon=Kon.MAN,
            start_date=datetime.date(2026, 2, 1),
            remittent=Remittent.SJALV,
        )


def test_deltagare_create_refuses_personnummer_code(forbund_a, setup, petra, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError, match="personnummer"):
        services.deltagare_create(
            forbund=forbund_a,
            actor=petra,
            insats=setup["samcoach"],
            code="811228-9874",
            kon=Kon.MAN,
            start_date=datetime.date(2026, 2, 1),
            remittent=Remittent.SJALV,
        )


def test_deltagare_create_refuses_duplicate_code_in_insats(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        add(forbund_a, setup["samcoach"], "SC-1")
        add(forbund_a, setup["steget"], "SC-1")  # another insats may reuse it
        with pytest.raises(ValidationError, match="används redan"):
            add(forbund_a, setup["samcoach"], "SC-1")


def test_deltagare_create_medlem_remiss_needs_the_member(forbund_a, setup, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        add(forbund_a, setup["samcoach"], "SC-1", remittent=Remittent.MEDLEM)
    assert "remittent_medlem" in exc.value.message_dict


def test_deltagare_end_requires_avslutsorsak_from_its_list(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        row = add(forbund_a, setup["samcoach"], "SC-1")
        with pytest.raises(ValidationError) as exc:
            services.deltagare_end(
                forbund=forbund_a,
                actor=None,
                deltagare=row,
                end_date=datetime.date(2026, 3, 1),
                avslutsorsak=cat(setup, CategoryList.FORSORJNING, "Lön"),
            )
    assert "avslutsorsak" in exc.value.message_dict


def test_deltagare_end_before_start_refused(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        row = add(forbund_a, setup["samcoach"], "SC-1")
        with pytest.raises(ValidationError) as exc:
            services.deltagare_end(
                forbund=forbund_a,
                actor=None,
                deltagare=row,
                end_date=datetime.date(2025, 3, 1),
                avslutsorsak=cat(setup, CategoryList.AVSLUT, "Arbete"),
            )
    assert "end_date" in exc.value.message_dict


def test_bedomningar_record_many_saves_each_and_updates_same_day(forbund_a, setup, petra, in_scope):
    with in_scope(forbund_a):
        one = add(forbund_a, setup["samcoach"], "SC-1")
        two = add(forbund_a, setup["samcoach"], "SC-2")
        steps = setup["steps"]
        day = datetime.date(2026, 3, 1)
        kwargs = {"forbund": forbund_a, "actor": petra, "insats": setup["samcoach"], "date": day}
        assert services.bedomningar_record_many(**kwargs, steps={one: steps[2], two: steps[3]}) == 2
        services.bedomningar_record_many(**kwargs, steps={one: steps[4], two: None})
        assert Bedomning.objects.get(deltagare=one).step.number == 4
        assert Bedomning.objects.filter(forbund=forbund_a).count() == 2


def test_bedomningar_record_many_is_all_or_nothing(forbund_a, setup, petra, in_scope):
    with in_scope(forbund_a):
        one = add(forbund_a, setup["samcoach"], "SC-1")
        late = add(forbund_a, setup["samcoach"], "SC-2", start=(2026, 6, 1))
        with pytest.raises(ValidationError, match="SC-2"):
            services.bedomningar_record_many(
                forbund=forbund_a,
                actor=petra,
                insats=setup["samcoach"],
                date=datetime.date(2026, 3, 1),
                steps={one: setup["steps"][2], late: setup["steps"][2]},
            )
        assert not Bedomning.objects.filter(forbund=forbund_a).exists()


def test_bedomningar_record_many_refuses_participant_of_other_insats(forbund_a, setup, petra, in_scope):
    with in_scope(forbund_a):
        other = add(forbund_a, setup["steget"], "ST-1")
        with pytest.raises(PermissionDenied):
            services.bedomningar_record_many(
                forbund=forbund_a,
                actor=petra,
                insats=setup["samcoach"],
                date=datetime.date(2026, 3, 1),
                steps={other: setup["steps"][2]},
            )


def test_step_delete_refused_when_scale_in_use(forbund_a, setup, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError, match="används"):
        services.step_delete(forbund=forbund_a, actor=None, step=setup["steps"][6])


def test_step_move_refused_when_scale_in_use(forbund_a, setup, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError, match="ordning"):
        services.step_move(forbund=forbund_a, actor=None, step=setup["steps"][2], up=True)


def test_step_move_swaps_on_unused_scale(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        scale = services.scale_create(
            forbund=forbund_a, actor=None, name="Egen", steps=[("Ett", ""), ("Två", ""), ("Tre", "")]
        )
        second = Step.objects.get(scale=scale, number=2)
        services.step_move(forbund=forbund_a, actor=None, step=second, up=True)
        labels = list(Step.objects.filter(scale=scale).order_by("number").values_list("label", flat=True))
    assert labels == ["Två", "Ett", "Tre"]


def test_step_add_allowed_on_scale_in_use(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        step = services.step_add(forbund=forbund_a, actor=None, scale=setup["scale"], label="Sju")
    assert step.number == 7


def test_category_delete_refused_when_used(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        add(
            forbund_a,
            setup["samcoach"],
            "SC-1",
            forsorjning_start=cat(setup, CategoryList.FORSORJNING, "Lön"),
        )
        with pytest.raises(ValidationError, match="används"):
            services.category_delete(
                forbund=forbund_a, actor=None, category=cat(setup, CategoryList.FORSORJNING, "Lön")
            )
        services.category_delete(
            forbund=forbund_a, actor=None, category=cat(setup, CategoryList.FORSORJNING, "Annat")
        )


def test_monthly_counts_save_upserts_and_drops_zero_rows(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        kwargs = {"forbund": forbund_a, "actor": None, "insats": setup["steget"], "year": 2026}
        services.monthly_counts_save(**kwargs, counts={(1, Kon.KVINNA): {"new": 3, "active": 5}})
        services.monthly_counts_save(
            **kwargs, counts={(1, Kon.KVINNA): {"new": 0, "active": 0}, (2, Kon.MAN): {"attendees": 40}}
        )
        rows = list(MonthlyCount.objects.filter(forbund=forbund_a).values_list("month", "kon", "attendees"))
    assert rows == [(2, Kon.MAN, 40)]


def test_monthly_counts_save_refuses_more_new_than_active(forbund_a, setup, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError, match="fler nya än aktiva"):
        services.monthly_counts_save(
            forbund=forbund_a,
            actor=None,
            insats=setup["steget"],
            year=2026,
            counts={(1, Kon.KVINNA): {"new": 6, "active": 5}},
        )


def test_survey_save_refuses_more_answers_than_respondents(forbund_a, setup, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError, match="svarade"):
        services.survey_save(
            forbund=forbund_a,
            actor=None,
            insats=setup["samcoach"],
            year=2026,
            period="ar",
            kind="nns_deltagare",
            respondent_group="Deltagare vid avslut",
            asked=20,
            answered=10,
            questions=[("Fick du stöd?", [("Ja", 8, True), ("Nej", 5, False)])],
        )


def test_deltagare_default_manager_needs_scope(setup):
    from apps.tenancy.scope import TenantScopeError

    with pytest.raises(TenantScopeError):
        list(Deltagare.objects.all())
