"""Pages of the members app: insider edits, read-only 403, plattform 403, outsider 404, htmx."""

from __future__ import annotations

import datetime

import pytest

from apps.members.models import ChairRole, Medlem, OrganMedlem, SeatKind, Styrelseledamot, Styrelsemote
from tests.factories import MedlemFactory

from .factories import OrganFactory, OrganMedlemFactory, StyrelseledamotFactory, StyrelsemoteFactory

READ_PAGES = [
    "/f/alfa/medlemmar/",
    "/f/alfa/medlemmar/styrelse/",
    "/f/alfa/medlemmar/organ/",
    "/f/alfa/medlemmar/arsplanering/",
]


@pytest.fixture
def rows(forbund_a, forbund_b, in_scope):
    """One of each row in A, and the same in the noise förbund B."""
    made = {}
    for forbund in (forbund_a, forbund_b):
        with in_scope(forbund):
            medlem = MedlemFactory(forbund=forbund, name=f"Kommun {forbund.slug}")
            seat = StyrelseledamotFactory(medlem=medlem, person_name=f"Ledamot {forbund.slug}")
            organ = OrganFactory(forbund=forbund, name=f"Loksam {forbund.slug}")
            OrganMedlemFactory(organ=organ, person_name=f"Organperson {forbund.slug}", medlem=medlem)
            mote = StyrelsemoteFactory(
                forbund=forbund, year=datetime.date.today().year, items=f"Ärende {forbund.slug}"
            )
        made[forbund.slug] = {"medlem": medlem, "seat": seat, "organ": organ, "mote": mote}
    return made


def _edit_urls(r):
    return [
        "/f/alfa/medlemmar/ny/",
        f"/f/alfa/medlemmar/{r['medlem'].public_id}/andra/",
        f"/f/alfa/medlemmar/{r['medlem'].public_id}/ta-bort/",
        "/f/alfa/medlemmar/styrelse/ny/",
        f"/f/alfa/medlemmar/styrelse/{r['seat'].public_id}/andra/",
        f"/f/alfa/medlemmar/styrelse/{r['seat'].public_id}/ta-bort/",
        "/f/alfa/medlemmar/organ/ny/",
        f"/f/alfa/medlemmar/organ/{r['organ'].public_id}/andra/",
        f"/f/alfa/medlemmar/organ/{r['organ'].public_id}/ta-bort/",
        f"/f/alfa/medlemmar/organ/{r['organ'].public_id}/ledamoter/ny/",
        "/f/alfa/medlemmar/arsplanering/ny/",
        f"/f/alfa/medlemmar/arsplanering/{r['mote'].public_id}/andra/",
        f"/f/alfa/medlemmar/arsplanering/{r['mote'].public_id}/ta-bort/",
    ]


@pytest.mark.parametrize("url", READ_PAGES)
def test_read_page_shows_own_rows_to_readonly_insider(client, bob, rows, url):
    client.force_login(bob)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "beta" not in body.replace("Samordningsförbundet Beta", "")
    assert "Ta bort" not in body


@pytest.mark.parametrize("url", READ_PAGES)
def test_read_page_is_403_for_plattform(client, petra, rows, url):
    client.force_login(petra)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", READ_PAGES)
def test_read_page_is_404_for_outsider(client, charlie, rows, url):
    client.force_login(charlie)
    assert client.get(url).status_code == 404


def test_edit_pages_are_403_for_readonly_insider(client, bob, rows):
    client.force_login(bob)
    for url in _edit_urls(rows["alfa"]):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


def test_edit_pages_are_404_for_outsider(client, charlie, rows):
    client.force_login(charlie)
    for url in _edit_urls(rows["alfa"]):
        assert client.get(url).status_code == 404, url


def test_edit_of_other_forbunds_row_is_404_for_insider(client, alice, rows):
    client.force_login(alice)
    assert client.get(f"/f/alfa/medlemmar/{rows['beta']['medlem'].public_id}/andra/").status_code == 404


def test_edit_pages_open_for_insider(client, alice, rows):
    client.force_login(alice)
    for url in _edit_urls(rows["alfa"]):
        assert client.get(url).status_code == 200, url


def test_medlem_create_view_saves_and_redirects(client, alice, rows, forbund_a, in_scope):
    client.force_login(alice)
    response = client.post(
        "/f/alfa/medlemmar/ny/",
        {"name": "Alfa kommun", "kind": "kommun", "population": "12000", "population_date": "2024-12-31"},
    )
    assert response.status_code == 302
    with in_scope(forbund_a):
        assert Medlem.objects.get(forbund=forbund_a, name="Alfa kommun").population == 12000


def test_medlem_create_view_shows_swedish_error_and_keeps_input(client, alice, rows):
    client.force_login(alice)
    response = client.post(
        "/f/alfa/medlemmar/ny/", {"name": "Region Alfa", "kind": "region", "population": "5"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Folkmängd anges bara för en kommun." in body
    assert 'value="Region Alfa"' in body


def test_medlem_create_view_refuses_duplicate_name(client, alice, rows):
    client.force_login(alice)
    response = client.post("/f/alfa/medlemmar/ny/", {"name": "Kommun alfa", "kind": "kommun"})
    assert "Det finns redan en medlem med det namnet." in response.content.decode()


def test_medlem_delete_view_refuses_referenced_member(client, alice, rows, forbund_a, in_scope):
    client.force_login(alice)
    response = client.post(f"/f/alfa/medlemmar/{rows['alfa']['medlem'].public_id}/ta-bort/")
    assert response.status_code == 400
    assert "kan inte tas bort" in response.content.decode()
    with in_scope(forbund_a):
        assert Medlem.objects.filter(pk=rows["alfa"]["medlem"].pk).exists()


def test_medlem_delete_view_deletes_unreferenced_member(client, alice, rows, forbund_a, in_scope):
    with in_scope(forbund_a):
        medlem = MedlemFactory(forbund=forbund_a)
    client.force_login(alice)
    response = client.post(f"/f/alfa/medlemmar/{medlem.public_id}/ta-bort/")
    assert response.status_code == 302
    with in_scope(forbund_a):
        assert not Medlem.objects.filter(pk=medlem.pk).exists()


def test_medlem_move_view_htmx_returns_table(client, alice, rows, forbund_a, in_scope):
    with in_scope(forbund_a):
        last = MedlemFactory(forbund=forbund_a, name="Sist kommun", position=5)
    client.force_login(alice)
    response = client.post(
        f"/f/alfa/medlemmar/{last.public_id}/flytta/", {"riktning": "upp"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="medlem-table">')
    assert body.index("Sist kommun") < body.index("Kommun alfa")


def test_medlem_move_view_is_403_for_readonly_insider(client, bob, rows):
    client.force_login(bob)
    url = f"/f/alfa/medlemmar/{rows['alfa']['medlem'].public_id}/flytta/"
    assert client.post(url, {"riktning": "upp"}).status_code == 403


def test_styrelse_page_prints_board_with_chair(client, bob, rows, forbund_a, in_scope):
    with in_scope(forbund_a):
        medlem = rows["alfa"]["medlem"]
        StyrelseledamotFactory(
            medlem=medlem, person_name="Birgitta Häggkvist", chair_role=ChairRole.ORDFORANDE
        )
        StyrelseledamotFactory(medlem=medlem, person_name="Susanne Lindahl", seat=SeatKind.ERSATTARE)
    client.force_login(bob)
    body = client.get("/f/alfa/medlemmar/styrelse/").content.decode()
    assert "Birgitta Häggkvist, Kommun alfa (ordf.)" in body
    assert "Susanne Lindahl, Kommun alfa" in body


def test_styrelseledamot_create_view_refuses_second_ordforande(client, alice, rows, forbund_a, in_scope):
    with in_scope(forbund_a):
        StyrelseledamotFactory(
            medlem=rows["alfa"]["medlem"], person_name="Birgitta", chair_role=ChairRole.ORDFORANDE
        )
    client.force_login(alice)
    response = client.post(
        "/f/alfa/medlemmar/styrelse/ny/",
        {
            "person_name": "Patrik",
            "medlem": str(rows["alfa"]["medlem"].public_id),
            "seat": "ledamot",
            "chair_role": "ordforande",
            "mandate_start": "2024-01-01",
            "mandate_end": "2026-12-31",
        },
    )
    assert response.status_code == 400
    assert "Birgitta är redan ordförande" in response.content.decode()
    with in_scope(forbund_a):
        assert not Styrelseledamot.objects.filter(person_name="Patrik").exists()


def test_styrelseledamot_create_view_refuses_other_forbunds_member(client, alice, rows):
    client.force_login(alice)
    response = client.post(
        "/f/alfa/medlemmar/styrelse/ny/",
        {
            "person_name": "Patrik",
            "medlem": str(rows["beta"]["medlem"].public_id),
            "seat": "ledamot",
            "mandate_start": "2024-01-01",
            "mandate_end": "2026-12-31",
        },
    )
    assert response.status_code == 400
    assert "field--error" in response.content.decode()


def test_organ_medlem_add_htmx_returns_partial(client, alice, rows, forbund_a, in_scope):
    organ = rows["alfa"]["organ"]
    prefix = f"om{organ.public_id.hex}"
    client.force_login(alice)
    response = client.post(
        f"/f/alfa/medlemmar/organ/{organ.public_id}/ledamoter/ny/",
        {
            f"{prefix}-person_name": "Anna Andersson",
            f"{prefix}-medlem": str(rows["alfa"]["medlem"].public_id),
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<div id="organ-{organ.public_id}-ledamoter">')
    assert "<html" not in body
    assert "Anna Andersson" in body
    with in_scope(forbund_a):
        assert OrganMedlem.objects.filter(organ=organ, person_name="Anna Andersson").exists()


def test_organ_medlem_add_htmx_error_keeps_typed_role(client, alice, rows):
    organ = rows["alfa"]["organ"]
    prefix = f"om{organ.public_id.hex}"
    client.force_login(alice)
    response = client.post(
        f"/f/alfa/medlemmar/organ/{organ.public_id}/ledamoter/ny/",
        {f"{prefix}-person_name": "", f"{prefix}-role": "Sammankallande"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "field--error" in body
    assert 'value="Sammankallande"' in body


def test_arsplanering_view_shows_chosen_year(client, bob, rows, forbund_a, in_scope):
    with in_scope(forbund_a):
        StyrelsemoteFactory(forbund=forbund_a, year=2027, month=2, items="Verksamhetsplan och budget 2027")
    client.force_login(bob)
    body = client.get("/f/alfa/medlemmar/arsplanering/?ar=2027").content.decode()
    assert "Verksamhetsplan och budget 2027" in body
    assert "Ärende alfa" not in body


def test_styrelsemote_create_view_requires_date_or_month(client, alice, rows, forbund_a, in_scope):
    client.force_login(alice)
    response = client.post(
        "/f/alfa/medlemmar/arsplanering/ny/", {"year": "2026", "items": "Tertialrapport T1"}
    )
    body = response.content.decode()
    assert "Ange ett datum eller en månad." in body
    assert "Tertialrapport T1" in body
    with in_scope(forbund_a):
        assert not Styrelsemote.objects.filter(
            forbund=forbund_a, year=2026, items="Tertialrapport T1"
        ).exists()
