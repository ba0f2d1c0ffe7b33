"""People in an organ can be edited, organs keep the förbund's order, mandate dates are optional."""

from __future__ import annotations

import datetime

import pytest

from apps.members import services
from apps.members.models import MedlemKind, Organ, OrganKind, OrganMedlem, SeatKind
from apps.plans import datasections
from apps.tenancy.scope import tenant_scope


@pytest.fixture
def organs(forbund_a, forbund_b):
    """Three organs created in the order Loksam, Beredningsgrupp, Nätverk, in A and in B."""
    rows = {}
    for forbund in (forbund_a, forbund_b):
        with tenant_scope(forbund):
            region = services.medlem_create(
                forbund=forbund, actor=None, name="Region", kind=MedlemKind.REGION
            )
            created = [
                services.organ_create(forbund=forbund, actor=None, kind=kind, name=name)
                for kind, name in (
                    (OrganKind.LOKSAM, "Loksam"),
                    (OrganKind.BEREDNINGSGRUPP, "Beredningsgrupp"),
                    (OrganKind.NATVERK, "Nätverk"),
                )
            ]
            person = services.organ_medlem_add(
                forbund=forbund, organ=created[0], actor=None, person_name="Åsa Berg", medlem=region
            )
            rows[forbund.slug] = {"organs": created, "person": person, "region": region}
    return rows


def test_organ_keeps_the_order_it_was_created_in_not_the_alphabet(forbund_a, organs):
    with tenant_scope(forbund_a):
        names = [o["name"] for o in datasections.organisation(forbund_a, 2024)["organ"]]
    assert names == ["Loksam", "Beredningsgrupp", "Nätverk"]


def test_organ_move_up_changes_the_printed_order(forbund_a, organs):
    with tenant_scope(forbund_a):
        services.organ_move(forbund=forbund_a, organ=organs["alfa"]["organs"][2], actor=None, up=True)
        names = list(Organ.objects.filter(forbund=forbund_a).values_list("name", flat=True))
    assert names == ["Loksam", "Nätverk", "Beredningsgrupp"]


def test_organ_move_view_moves_down_and_is_403_for_revisor(client_for, alice, bob, organs):
    loksam = organs["alfa"]["organs"][0]
    url = f"/f/alfa/medlemmar/organ/{loksam.public_id}/flytta/"
    assert client_for(bob).post(url, {"riktning": "ned"}).status_code == 403
    client_for(alice).post(url, {"riktning": "ned"})
    with tenant_scope(loksam.forbund):
        names = list(Organ.objects.filter(forbund=loksam.forbund).values_list("name", flat=True))
    assert names == ["Beredningsgrupp", "Loksam", "Nätverk"]


def test_organ_medlem_update_changes_name_role_and_member(forbund_a, organs):
    row = organs["alfa"]["person"]
    with tenant_scope(forbund_a):
        services.organ_medlem_update(
            forbund=forbund_a,
            organ_medlem=row,
            actor=None,
            person_name="Åsa Berg-Lind",
            medlem=None,
            role="Ordf.",
        )
        row.refresh_from_db()
    assert (row.person_name, row.medlem, row.role) == ("Åsa Berg-Lind", None, "Ordf.")


def test_organ_medlem_update_view_saves_and_keeps_input_on_error(client_for, alice, organs):
    row = organs["alfa"]["person"]
    url = f"/f/alfa/medlemmar/organ/ledamoter/{row.public_id}/andra/"
    client = client_for(alice)
    page = client.get(url).content.decode()
    assert 'value="Åsa Berg"' in page
    error = client.post(url, {"person_name": "", "role": "Sekreterare"})
    assert error.status_code == 400 and "Sekreterare" in error.content.decode()
    assert client.post(url, {"person_name": "Åsa Lind", "role": "Sekreterare"}).status_code == 302
    with tenant_scope(row.forbund):
        assert OrganMedlem.objects.get(pk=row.pk).person_name == "Åsa Lind"


def test_organ_medlem_update_of_other_forbund_is_404(client_for, alice, organs):
    row = organs["beta"]["person"]
    assert (
        client_for(alice).get(f"/f/alfa/medlemmar/organ/ledamoter/{row.public_id}/andra/").status_code == 404
    )


def test_board_seat_without_mandate_dates_is_saved_and_in_the_plan(forbund_a, organs):
    with tenant_scope(forbund_a):
        services.styrelseledamot_create(
            forbund=forbund_a,
            actor=None,
            person_name="Karin Ek",
            medlem=organs["alfa"]["region"],
            seat=SeatKind.LEDAMOT,
        )
        board = datasections.organisation(forbund_a, datetime.date.today().year)["styrelse"]
    assert board == [{"medlem": "Region", "ledamoter": ["Karin Ek"], "ersattare": []}]
