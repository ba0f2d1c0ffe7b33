"""The shared service helpers: allowed fields, the same-förbund check, and moving a row."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.core.services import SAME_FORBUND_MESSAGE, assign_fields, check_same_forbund, move, move_to
from apps.goals.models import Malomrade
from apps.members.models import Medlem
from tests.factories import MedlemFactory


def test_assign_fields_sets_allowed_and_names_changed(forbund_a, in_scope):
    with in_scope(forbund_a):
        medlem = MedlemFactory(forbund=forbund_a, name="Region Alfa", population=10)
    changed = assign_fields(medlem, {"name": "Region Alfa", "population": 20}, allowed={"name", "population"})
    assert changed == ["population"]
    assert medlem.population == 20


def test_assign_fields_refuses_field_not_allowed(forbund_a, in_scope):
    with in_scope(forbund_a):
        medlem = MedlemFactory(forbund=forbund_a)
    with pytest.raises(TypeError, match="forbund"):
        assign_fields(medlem, {"name": "X", "forbund": None}, allowed={"name"})
    assert medlem.name != "X"


def test_check_same_forbund_passes_own_and_none(forbund_a, in_scope):
    with in_scope(forbund_a):
        medlem = MedlemFactory(forbund=forbund_a)
    check_same_forbund(forbund_a, medlem=medlem, insats=None, medparter=[medlem])


def test_check_same_forbund_names_each_foreign_field(forbund_a, forbund_b, in_scope):
    with in_scope(forbund_a):
        own = MedlemFactory(forbund=forbund_a)
    with in_scope(forbund_b):
        foreign = MedlemFactory(forbund=forbund_b)
    with pytest.raises(ValidationError) as exc:
        check_same_forbund(forbund_a, verksamhetsagare=own, medlem=foreign, medparter=[own, foreign])
    assert exc.value.message_dict == {"medlem": [SAME_FORBUND_MESSAGE], "medparter": [SAME_FORBUND_MESSAGE]}


def _medlemmar(forbund, positions):
    return [MedlemFactory(forbund=forbund, name=f"M{i}", position=p) for i, p in enumerate(positions)]


def _order(forbund):
    return list(
        Medlem.objects.filter(forbund=forbund).order_by("position", "name").values_list("name", flat=True)
    )


def test_move_up_swaps_with_neighbour(forbund_a, forbund_b, in_scope):
    with in_scope(forbund_b):
        _medlemmar(forbund_b, [0, 1, 2])
    with in_scope(forbund_a):
        rows = _medlemmar(forbund_a, [0, 1, 2])
        siblings = Medlem.objects.filter(forbund=forbund_a).order_by("position", "name")
        assert move(siblings, rows[2], up=True)
        assert _order(forbund_a) == ["M0", "M2", "M1"]
        assert rows[2].position == 1
    with in_scope(forbund_b):
        assert _order(forbund_b) == ["M0", "M1", "M2"]


def test_move_at_either_end_is_false_and_changes_nothing(forbund_a, in_scope):
    with in_scope(forbund_a):
        rows = _medlemmar(forbund_a, [0, 1])
        siblings = Medlem.objects.filter(forbund=forbund_a).order_by("position", "name")
        assert not move(siblings, rows[0], up=True)
        assert not move(siblings, rows[1], up=False)
        assert _order(forbund_a) == ["M0", "M1"]


def test_move_numbers_tied_rows_in_shown_order_first(forbund_a, in_scope):
    with in_scope(forbund_a):
        rows = _medlemmar(forbund_a, [0, 0, 0])
        siblings = Medlem.objects.filter(forbund=forbund_a).order_by("position", "name")
        assert move(siblings, rows[0], up=False)
        assert list(
            Medlem.objects.filter(forbund=forbund_a).order_by("name").values_list("position", flat=True)
        ) == [
            1,
            0,
            2,
        ]


def test_move_swaps_unique_numbers_keeping_the_constraint(forbund_a, in_scope):
    with in_scope(forbund_a):
        first = Malomrade.objects.create(forbund=forbund_a, year=2026, number=1, title="Ett")
        Malomrade.objects.create(forbund=forbund_a, year=2026, number=4, title="Fyra")
        siblings = Malomrade.objects.filter(forbund=forbund_a, year=2026).order_by("number")
        assert move(siblings, first, up=False, field="number")
        numbers = dict(Malomrade.objects.filter(forbund=forbund_a).values_list("title", "number"))
    assert numbers == {"Ett": 4, "Fyra": 1}
    assert first.number == 4


def test_assign_fields_sets_a_required_relation_on_a_new_row(forbund_a, in_scope):
    from apps.members.models import Styrelseledamot

    with in_scope(forbund_a):
        medlem = MedlemFactory(forbund=forbund_a)
    seat = Styrelseledamot(forbund=forbund_a)
    assert assign_fields(seat, {"medlem": medlem}, allowed={"medlem"}) == ["medlem"]
    assert seat.medlem == medlem


def test_move_to_puts_row_at_place_and_renumbers(forbund_a, in_scope):
    with in_scope(forbund_a):
        rows = _medlemmar(forbund_a, [0, 1, 2, 3])
        siblings = Medlem.objects.filter(forbund=forbund_a).order_by("position", "name")
        move_to(siblings, rows[3], position=1)
        assert _order(forbund_a) == ["M3", "M0", "M1", "M2"]
        assert rows[3].position == 0


def test_move_to_refuses_place_outside_the_list_in_swedish(forbund_a, in_scope):
    with in_scope(forbund_a):
        rows = _medlemmar(forbund_a, [0, 1])
        siblings = Medlem.objects.filter(forbund=forbund_a).order_by("position", "name")
        with pytest.raises(ValidationError) as exc:
            move_to(siblings, rows[0], position=3)
    assert exc.value.message_dict == {"position": ["Välj en plats mellan 1 och 2."]}
