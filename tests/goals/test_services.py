"""Services of målområden and delmål, including their refusals."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.goals import services
from apps.goals.models import Comparator, DataSource, Delmal, Malomrade, TargetUnit, Tidpunkt
from apps.insatser.models import Insats
from tests.factories import MedlemFactory

from .factories import DelmalFactory, MalomradeFactory

BASE = {"tidpunkt": Tidpunkt.TERTIAL, "data_source": DataSource.DELTAGARDATA}


def _insats(forbund, name):
    owner = MedlemFactory(forbund=forbund, name=f"Kommun {name}")
    return Insats.objects.create(forbund=forbund, name=name, verksamhetsagare=owner)


def test_malomrade_create_gives_next_number(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a):
        malomrade = services.malomrade_create(forbund=forbund_a, actor=alice, year=2023, title="Samverkan")
        assert malomrade.number == 2


def test_malomrade_create_refuses_number_taken_in_year(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.malomrade_create(forbund=forbund_a, actor=alice, year=2023, number=1, title="Dubblett")
    assert exc.value.message_dict["number"] == [
        "Det finns redan ett målområde 1 för 2023. Välj ett annat nummer."
    ]


def test_malomrade_create_allows_same_number_another_year(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a):
        malomrade = services.malomrade_create(forbund=forbund_a, actor=alice, year=2024, number=1, title="Ny")
        assert Malomrade.objects.filter(forbund=forbund_a, number=1).count() == 2
    assert malomrade.year == 2024


def test_malomrade_create_ignores_numbers_of_other_forbund(forbund_b, charlie, forbund_a, goals, in_scope):
    with in_scope(forbund_a):
        Malomrade.objects.filter(forbund=forbund_a).delete()
    with in_scope(forbund_b):
        malomrade = services.malomrade_create(forbund=forbund_b, actor=charlie, year=2023, title="B två")
    assert malomrade.number == 2


def test_malomrade_create_records_actor_in_audit_trail(forbund_a, alice, in_scope):
    with in_scope(forbund_a):
        malomrade = services.malomrade_create(forbund=forbund_a, actor=alice, year=2023, title="Spårbar")
        event = malomrade.events.get(pgh_label="insert")
        assert event.pgh_context.metadata["user"] == alice.pk


def test_malomrade_update_refuses_taken_number(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a):
        other = MalomradeFactory(forbund=forbund_a, year=2023, number=2)
        with pytest.raises(ValidationError) as exc:
            services.malomrade_update(forbund=forbund_a, malomrade=other, actor=alice, number=1)
    assert "Det finns redan ett målområde 1 för 2023" in exc.value.message_dict["number"][0]


def test_malomrade_delete_removes_its_delmal(forbund_a, forbund_b, alice, goals, in_scope):
    with in_scope(forbund_a):
        services.malomrade_delete(forbund=forbund_a, malomrade=goals["alfa"]["malomrade"], actor=alice)
        assert not Delmal.objects.filter(forbund=forbund_a).exists()
    with in_scope(forbund_b):
        assert Delmal.objects.filter(forbund=forbund_b).count() == 2


def test_malomrade_move_down_swaps_numbers(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a):
        first = goals["alfa"]["malomrade"]
        second = MalomradeFactory(forbund=forbund_a, year=2023, number=2)
        assert services.malomrade_move(forbund=forbund_a, malomrade=first, actor=alice, up=False)
        first.refresh_from_db()
        second.refresh_from_db()
    assert (first.number, second.number) == (2, 1)


def test_malomrade_move_up_at_top_changes_nothing(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a):
        first = goals["alfa"]["malomrade"]
        assert not services.malomrade_move(forbund=forbund_a, malomrade=first, actor=alice, up=True)
        first.refresh_from_db()
    assert first.number == 1


def test_delmal_create_gives_next_number(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a):
        delmal = services.delmal_create(
            forbund=forbund_a, malomrade=goals["alfa"]["malomrade"], actor=alice, text="Svarsfrekvens", **BASE
        )
    assert delmal.number == 3
    assert delmal.forbund_id == forbund_a.pk


def test_delmal_create_refuses_minst_without_value(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.delmal_create(
            forbund=forbund_a,
            malomrade=goals["alfa"]["malomrade"],
            actor=alice,
            text="Svarsfrekvens",
            target_comparator=Comparator.MINST,
            target_unit=TargetUnit.PERCENT,
            **BASE,
        )
    assert exc.value.message_dict["target_value"] == ["Ange ett målvärde när jämförelsen är ”minst”."]


def test_delmal_create_refuses_oka_without_baseline_year(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.delmal_create(
            forbund=forbund_a,
            malomrade=goals["alfa"]["malomrade"],
            actor=alice,
            text="Fler individer",
            target_comparator=Comparator.OKA,
            **BASE,
        )
    assert "Ange ett basår" in exc.value.message_dict["baseline_year"][0]


def test_delmal_create_refuses_baseline_year_not_before_goal_year(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.delmal_create(
            forbund=forbund_a,
            malomrade=goals["alfa"]["malomrade"],
            actor=alice,
            text="Fler individer",
            target_comparator=Comparator.OKA,
            baseline_year=2023,
            **BASE,
        )
    assert exc.value.message_dict["baseline_year"] == ["Basåret ska vara ett tidigare år än 2023."]


def test_delmal_create_refuses_percent_over_hundred(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.delmal_create(
            forbund=forbund_a,
            malomrade=goals["alfa"]["malomrade"],
            actor=alice,
            text="Svarsfrekvens",
            target_comparator=Comparator.MINST,
            target_value=Decimal("170"),
            target_unit=TargetUnit.PERCENT,
            **BASE,
        )
    assert exc.value.message_dict["target_value"] == ["En procentsats ska vara mellan 0 och 100."]


def test_delmal_create_refuses_value_without_comparator(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.delmal_create(
            forbund=forbund_a,
            malomrade=goals["alfa"]["malomrade"],
            actor=alice,
            text="Svarsfrekvens",
            target_value=Decimal("70"),
            target_unit=TargetUnit.PERCENT,
            **BASE,
        )
    assert "Välj en jämförelse" in exc.value.message_dict["target_comparator"][0]


def test_delmal_create_refuses_other_unit_without_text(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.delmal_create(
            forbund=forbund_a,
            malomrade=goals["alfa"]["malomrade"],
            actor=alice,
            text="Föreläsningar",
            target_comparator=Comparator.MINST,
            target_value=Decimal("1"),
            target_unit=TargetUnit.ANNAT,
            **BASE,
        )
    assert "target_unit_text" in exc.value.message_dict


def test_delmal_create_refuses_taken_number(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.delmal_create(
            forbund=forbund_a,
            malomrade=goals["alfa"]["malomrade"],
            actor=alice,
            text="Dubblett",
            number=2,
            **BASE,
        )
    assert exc.value.message_dict["number"] == [
        "Det finns redan ett delmål 2 i målområde 1. Välj ett annat nummer."
    ]


def test_delmal_create_accepts_valid_target(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a):
        delmal = services.delmal_create(
            forbund=forbund_a,
            malomrade=goals["alfa"]["malomrade"],
            actor=alice,
            text="Svarsfrekvens",
            target_comparator=Comparator.MINST,
            target_value=Decimal("70"),
            target_unit=TargetUnit.PERCENT,
            **BASE,
        )
        delmal.refresh_from_db()
    assert delmal.target_display == "minst 70 %"


def test_delmal_create_links_insats_of_same_forbund(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a):
        insats = _insats(forbund_a, "SamCoach")
        delmal = services.delmal_create(
            forbund=forbund_a,
            malomrade=goals["alfa"]["malomrade"],
            actor=alice,
            text="70 % egen försörjning",
            insats=insats,
            **BASE,
        )
        assert list(insats.delmal.all()) == [delmal]


def test_delmal_create_refuses_insats_of_other_forbund(forbund_a, forbund_b, alice, goals, in_scope):
    with in_scope(forbund_b):
        foreign = _insats(forbund_b, "Främmande")
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.delmal_create(
            forbund=forbund_a,
            malomrade=goals["alfa"]["malomrade"],
            actor=alice,
            text="Fel insats",
            insats=foreign,
            **BASE,
        )
    assert "insats" in exc.value.message_dict


def test_delmal_update_refuses_comparator_rules(forbund_a, alice, goals, in_scope):
    with in_scope(forbund_a):
        delmal = goals["alfa"]["delmal"][0]
        with pytest.raises(ValidationError) as exc:
            services.delmal_update(
                forbund=forbund_a, delmal=delmal, actor=alice, target_comparator=Comparator.MINSKA
            )
    assert "baseline_year" in exc.value.message_dict


def test_delmal_move_up_swaps_numbers(forbund_a, alice, goals, in_scope):
    first, second = goals["alfa"]["delmal"]
    with in_scope(forbund_a):
        assert services.delmal_move(forbund=forbund_a, delmal=second, actor=alice, up=True)
        first.refresh_from_db()
        second.refresh_from_db()
    assert (first.number, second.number) == (2, 1)


def test_delmal_delete_leaves_siblings(forbund_a, alice, goals, in_scope):
    first, second = goals["alfa"]["delmal"]
    with in_scope(forbund_a):
        services.delmal_delete(forbund=forbund_a, delmal=first, actor=alice)
        assert list(Delmal.objects.filter(forbund=forbund_a)) == [second]


def test_delmal_factory_rows_are_per_forbund(forbund_b, goals, in_scope):
    with in_scope(forbund_b):
        assert DelmalFactory._meta.model.objects.filter(forbund=forbund_b).count() == 2
