"""Services of the members app: writes, their refusals, and the audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from apps.members import selectors, services
from apps.members.models import ChairRole, Medlem, MedlemKind, OrganMedlem, SeatKind, Styrelseledamot
from tests.factories import MedlemFactory

from .factories import OrganFactory, StyrelseledamotFactory, StyrelsemoteFactory

START, END = datetime.date(2023, 1, 1), datetime.date(2026, 12, 31)


@pytest.fixture
def noise(forbund_b, in_scope):
    """Förbund B has its own member, seat, body and meeting."""
    with in_scope(forbund_b):
        medlem = MedlemFactory(forbund=forbund_b, name="Region Beta")
        StyrelseledamotFactory(
            medlem=medlem, chair_role=ChairRole.ORDFORANDE, mandate_start=START, mandate_end=END
        )
        OrganFactory(forbund=forbund_b, name="Loksam Beta")
        StyrelsemoteFactory(forbund=forbund_b)
    return medlem


def test_medlem_create_appends_last(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        first = services.medlem_create(
            forbund=forbund_a, actor=alice, name="Region Alfa", kind=MedlemKind.REGION
        )
        second = services.medlem_create(
            forbund=forbund_a,
            actor=alice,
            name="Alfa kommun",
            kind=MedlemKind.KOMMUN,
            population=12345,
            population_date=datetime.date(2024, 12, 31),
        )
        assert [m.pk for m in selectors.medlem_list(forbund=forbund_a)] == [first.pk, second.pk]


def test_medlem_create_refuses_population_on_non_kommun(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.medlem_create(
            forbund=forbund_a,
            actor=alice,
            name="Försäkringskassan",
            kind=MedlemKind.FORSAKRINGSKASSAN,
            population=5,
        )
    assert exc.value.message_dict["population"] == ["Folkmängd anges bara för en kommun."]


def test_medlem_create_refuses_population_date_on_non_kommun(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.medlem_create(
            forbund=forbund_a,
            actor=alice,
            name="Region Alfa",
            kind=MedlemKind.REGION,
            population_date=datetime.date(2024, 12, 31),
        )
    assert "population_date" in exc.value.message_dict


def test_medlem_create_refuses_share_over_100(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.medlem_create(
            forbund=forbund_a, actor=alice, name="Alfa kommun", kind=MedlemKind.KOMMUN, share_percent=101
        )
    assert exc.value.message_dict["share_percent"] == ["Andelen kan inte vara större än 100 %."]


def test_medlem_create_refuses_duplicate_name(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        MedlemFactory(forbund=forbund_a, name="Alfa kommun")
        with pytest.raises(ValidationError) as exc:
            services.medlem_create(forbund=forbund_a, actor=alice, name="Alfa kommun", kind=MedlemKind.KOMMUN)
    assert "Det finns redan en medlem med det namnet." in exc.value.messages


def test_medlem_create_allows_name_used_in_other_forbund(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        medlem = services.medlem_create(
            forbund=forbund_a, actor=alice, name=noise.name, kind=MedlemKind.REGION
        )
    assert medlem.pk


def test_medlem_upsert_still_updates_by_name(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        services.medlem_upsert(forbund=forbund_a, actor=alice, name="Alfa kommun", kind=MedlemKind.KOMMUN)
        services.medlem_upsert(
            forbund=forbund_a, actor=alice, name="Alfa kommun", kind=MedlemKind.KOMMUN, population=7
        )
        assert Medlem.objects.get(forbund=forbund_a, name="Alfa kommun").population == 7


def test_medlem_update_changes_fields(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        medlem = MedlemFactory(forbund=forbund_a)
        services.medlem_update(forbund=forbund_a, medlem=medlem, actor=alice, population=999)
        medlem.refresh_from_db()
    assert medlem.population == 999


def test_medlem_delete_removes_unreferenced(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        medlem = MedlemFactory(forbund=forbund_a)
        services.medlem_delete(forbund=forbund_a, medlem=medlem, actor=alice)
        assert not Medlem.objects.filter(pk=medlem.pk).exists()


def test_medlem_delete_refuses_member_on_the_board(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        medlem = MedlemFactory(forbund=forbund_a, name="Alfa kommun")
        StyrelseledamotFactory(medlem=medlem)
        with pytest.raises(ValidationError) as exc:
            services.medlem_delete(forbund=forbund_a, medlem=medlem, actor=alice)
        assert Medlem.objects.filter(pk=medlem.pk).exists()
    assert "Alfa kommun kan inte tas bort" in exc.value.messages[0]


def test_medlem_delete_refuses_member_in_a_body(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        medlem = MedlemFactory(forbund=forbund_a)
        OrganMedlem.objects.create(
            forbund=forbund_a, organ=OrganFactory(forbund=forbund_a), person_name="A", medlem=medlem
        )
        with pytest.raises(ValidationError):
            services.medlem_delete(forbund=forbund_a, medlem=medlem, actor=alice)


def test_medlem_move_up_swaps_with_previous(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        a, b, c = (MedlemFactory(forbund=forbund_a, position=i) for i in range(3))
        services.medlem_move(forbund=forbund_a, medlem=c, actor=alice, up=True)
        assert [m.pk for m in selectors.medlem_list(forbund=forbund_a)] == [a.pk, c.pk, b.pk]


def test_medlem_move_down_at_the_end_keeps_order(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        a, b = (MedlemFactory(forbund=forbund_a, position=i) for i in range(2))
        services.medlem_move(forbund=forbund_a, medlem=b, actor=alice, up=False)
        assert [m.pk for m in selectors.medlem_list(forbund=forbund_a)] == [a.pk, b.pk]


def test_medlem_create_is_audited_with_actor(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        medlem = services.medlem_create(
            forbund=forbund_a, actor=alice, name="Region Alfa", kind=MedlemKind.REGION
        )
        event = medlem.events.get()
        actor = event.pgh_context.metadata["user"]  # contexts are under RLS: read in the scope
    assert actor == alice.pk


def _seat(forbund, alice, medlem, **fields):
    defaults = {
        "person_name": "Birgitta",
        "medlem": medlem,
        "seat": SeatKind.LEDAMOT,
        "mandate_start": START,
        "mandate_end": END,
    }
    return services.styrelseledamot_create(forbund=forbund, actor=alice, **(defaults | fields))


def test_styrelseledamot_create_saves_seat(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        seat = _seat(forbund_a, alice, MedlemFactory(forbund=forbund_a), chair_role=ChairRole.ORDFORANDE)
        assert Styrelseledamot.objects.get(pk=seat.pk).chair_role == ChairRole.ORDFORANDE


def test_styrelseledamot_create_refuses_second_ordforande(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        medlem = MedlemFactory(forbund=forbund_a)
        _seat(forbund_a, alice, medlem, chair_role=ChairRole.ORDFORANDE)
        with pytest.raises(ValidationError) as exc:
            _seat(forbund_a, alice, medlem, person_name="Patrik", chair_role=ChairRole.ORDFORANDE)
    assert exc.value.message_dict["chair_role"] == [
        "Birgitta är redan ordförande under samma mandatperiod. Det kan bara finnas en."
    ]


def test_styrelseledamot_create_refuses_second_vice(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        medlem = MedlemFactory(forbund=forbund_a)
        _seat(forbund_a, alice, medlem, chair_role=ChairRole.VICE)
        with pytest.raises(ValidationError):
            _seat(forbund_a, alice, medlem, person_name="Patrik", chair_role=ChairRole.VICE)


def test_styrelseledamot_create_allows_ordforande_in_next_mandate(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        medlem = MedlemFactory(forbund=forbund_a)
        _seat(forbund_a, alice, medlem, chair_role=ChairRole.ORDFORANDE)
        later = _seat(
            forbund_a,
            alice,
            medlem,
            chair_role=ChairRole.ORDFORANDE,
            mandate_start=datetime.date(2027, 1, 1),
            mandate_end=datetime.date(2030, 12, 31),
        )
    assert later.pk


def test_styrelseledamot_update_keeps_own_ordforande(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        seat = _seat(forbund_a, alice, MedlemFactory(forbund=forbund_a), chair_role=ChairRole.ORDFORANDE)
        services.styrelseledamot_update(
            forbund=forbund_a, styrelseledamot=seat, actor=alice, person_name="Birgitta H"
        )
        seat.refresh_from_db()
    assert seat.person_name == "Birgitta H"


def test_styrelseledamot_create_refuses_end_before_start(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        _seat(forbund_a, alice, MedlemFactory(forbund=forbund_a), mandate_end=datetime.date(2022, 1, 1))
    assert "mandate_end" in exc.value.message_dict


def test_styrelseledamot_create_refuses_ersattare_as_chair(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        _seat(
            forbund_a,
            alice,
            MedlemFactory(forbund=forbund_a),
            seat=SeatKind.ERSATTARE,
            chair_role=ChairRole.VICE,
        )
    assert "chair_role" in exc.value.message_dict


def test_current_board_groups_current_seats_by_member(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        kommun = MedlemFactory(forbund=forbund_a, name="Alfa kommun", position=1)
        region = MedlemFactory(forbund=forbund_a, name="Region Alfa", position=0)
        _seat(forbund_a, alice, kommun, person_name="L1")
        _seat(forbund_a, alice, kommun, person_name="E1", seat=SeatKind.ERSATTARE)
        _seat(forbund_a, alice, region, person_name="L2")
        _seat(forbund_a, alice, region, person_name="Old", mandate_end=datetime.date(2023, 6, 30))
        board = selectors.current_board(forbund=forbund_a, on=datetime.date(2024, 1, 1))
    assert [
        (r.medlem.name, [s.person_name for s in r.ledamoter], [s.person_name for s in r.ersattare])
        for r in board
    ] == [
        ("Region Alfa", ["L2"], []),
        ("Alfa kommun", ["L1"], ["E1"]),
    ]


def test_organ_create_and_add_member(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        medlem = MedlemFactory(forbund=forbund_a)
        organ = services.organ_create(
            forbund=forbund_a,
            actor=alice,
            kind="loksam",
            name="Loksam",
            purpose="Remissinstans",
            meetings_per_year=8,
        )
        services.organ_medlem_add(
            forbund=forbund_a,
            organ=organ,
            actor=alice,
            person_name="Anna",
            medlem=medlem,
            role="Sammankallande",
        )
        organs = list(selectors.organ_list(forbund=forbund_a))
    assert [(o.name, [r.person_name for r in o.ledamoter.all()]) for o in organs] == [("Loksam", ["Anna"])]


def test_organ_create_refuses_unknown_kind(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.organ_create(forbund=forbund_a, actor=alice, kind="kaffeklubb", name="X")
    assert "kind" in exc.value.message_dict


def test_organ_medlem_add_refuses_member_of_other_forbund(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        organ = OrganFactory(forbund=forbund_a)
        with pytest.raises(ValidationError):
            services.organ_medlem_add(
                forbund=forbund_a, organ=organ, actor=alice, person_name="X", medlem=noise
            )


def test_organ_delete_removes_its_members(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        organ = OrganFactory(forbund=forbund_a)
        services.organ_medlem_add(forbund=forbund_a, organ=organ, actor=alice, person_name="Anna")
        services.organ_delete(forbund=forbund_a, organ=organ, actor=alice)
        assert not OrganMedlem.objects.filter(forbund=forbund_a).exists()


def test_styrelsemote_create_with_month_only(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        mote = services.styrelsemote_create(
            forbund=forbund_a, actor=alice, year=2026, month=3, items="Tertialrapport T1"
        )
    assert mote.item_list == ["Tertialrapport T1"]


def test_styrelsemote_create_takes_month_from_date(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        mote = services.styrelsemote_create(
            forbund=forbund_a, actor=alice, year=2026, date=datetime.date(2026, 11, 27), month=2
        )
    assert mote.month == 11


def test_styrelsemote_create_refuses_no_date_no_month(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.styrelsemote_create(forbund=forbund_a, actor=alice, year=2026, items="X")
    assert exc.value.message_dict["month"] == ["Ange ett datum eller en månad."]


def test_styrelsemote_create_refuses_date_in_other_year(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.styrelsemote_create(
            forbund=forbund_a, actor=alice, year=2026, date=datetime.date(2025, 5, 1)
        )
    assert exc.value.message_dict["date"] == ["Datumet ligger inte i år 2026."]


def test_styrelsemote_list_orders_by_month_then_date(forbund_a, alice, noise, in_scope):
    with in_scope(forbund_a):
        late = services.styrelsemote_create(
            forbund=forbund_a, actor=alice, year=2025, date=datetime.date(2025, 11, 27)
        )
        early = services.styrelsemote_create(forbund=forbund_a, actor=alice, year=2025, month=2)
        services.styrelsemote_create(forbund=forbund_a, actor=alice, year=2026, month=1)
        motes = list(selectors.styrelsemote_list(forbund=forbund_a, year=2025))
    assert [m.pk for m in motes] == [early.pk, late.pk]
