"""Insatser pages: who may read and edit, htmx year rows, and list query counts."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.insatser.models import Insats, InsatsStatus, InsatsYear

from .conftest import make_insats

HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(insats, suffix=""):
    return f"/f/alfa/insatser/{insats.public_id}/{suffix}"


def test_insats_list_shows_own_rows_only(client_for, alice, insats_a):
    body = client_for(alice).get("/f/alfa/insatser/").content.decode()
    assert "SamCoach" in body
    assert "Brus i Beta" not in body


@pytest.mark.parametrize("who", ["bob", "stina"])
def test_insats_detail_read_only_insider_reads(client_for, who, request, insats_a):
    user = request.getfixturevalue(who)
    response = client_for(user).get(_url(insats_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "SamCoach" in body
    assert "Ändra insatsen" not in body


@pytest.mark.parametrize("who", ["bob", "stina"])
def test_insats_list_read_only_insider_reads(client_for, who, request, insats_a):
    user = request.getfixturevalue(who)
    assert client_for(user).get("/f/alfa/insatser/").status_code == 200


@pytest.mark.parametrize("suffix", ["andra/", "ta-bort/", "status/", "ar/ny/", "personal/"])
def test_insats_edit_pages_read_only_insider_gets_403(client_for, bob, insats_a, suffix):
    client = client_for(bob)
    assert client.post(_url(insats_a, suffix), {}).status_code == 403


def test_insats_create_read_only_insider_gets_403(client_for, bob, insats_a):
    assert client_for(bob).get("/f/alfa/insatser/ny/").status_code == 403


def test_insats_detail_outsider_gets_404(client_for, charlie, insats_a):
    assert client_for(charlie).get(_url(insats_a)).status_code == 404


def test_insats_detail_of_other_forbund_is_404(client_for, alice, insats_b):
    assert client_for(alice).get(_url(insats_b)).status_code == 404


def test_insats_detail_unknown_uuid_is_404(client_for, alice):
    assert client_for(alice).get(f"/f/alfa/insatser/{uuid.uuid4()}/").status_code == 404


def test_insats_create_saves_and_redirects(client_for, alice, insats_a, forbund_a, in_scope):
    owner = insats_a.verksamhetsagare
    response = client_for(alice).post(
        "/f/alfa/insatser/ny/", {"name": "Psykiatriveckan", "kind": "struktur", "verksamhetsagare": owner.pk}
    )
    assert response.status_code == 302
    with in_scope(forbund_a):
        assert Insats.objects.get(name="Psykiatriveckan").forbund_id == forbund_a.pk


def test_insats_create_bad_post_keeps_typed_values(client_for, alice, insats_a):
    response = client_for(alice).post(
        "/f/alfa/insatser/ny/", {"name": "Psykiatriveckan", "kind": "struktur", "malgrupp": "Unga 16–29"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Psykiatriveckan" in body
    assert "Unga 16–29" in body
    assert "Välj en medlem som verksamhetsägare eller skriv in en annan organisation." in body


def test_insats_transition_view_shows_missing_plan(client_for, alice, insats_a, forbund_a, in_scope):
    forbund_a.require_plan_before_grant = True
    forbund_a.save()
    with in_scope(forbund_a):
        Insats.objects.filter(pk=insats_a.pk).update(status=InsatsStatus.BEREDNING)
    response = client_for(alice).post(
        _url(insats_a, "status/"),
        {"to": "beviljad", "decision_date": "2026-11-30", "decision_paragraph": "§ 12"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Genomförandeplan saknas." in body
    assert "Riskanalys saknas." in body


def test_insats_delete_get_shows_confirmation(client_for, alice, insats_a, forbund_a, in_scope):
    client = client_for(alice)
    assert "Ja, ta bort insatsen" in client.get(_url(insats_a, "ta-bort/")).content.decode()
    assert client.post(_url(insats_a, "ta-bort/")).status_code == 302
    with in_scope(forbund_a):
        assert not Insats.objects.filter(pk=insats_a.pk).exists()


def test_insats_year_add_htmx_returns_row_partial(client_for, alice, insats_a, forbund_a, in_scope):
    response = client_for(alice).post(
        _url(insats_a, "ar/ny/"),
        {"ny-year": "2027", "ny-budget_amount": "750000", "ny-financed_fte": "2"},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<tr")
    assert "<html" not in body
    assert "750" in body
    with in_scope(forbund_a):
        assert InsatsYear.objects.filter(insats=insats_a, year=2027).exists()


def test_insats_year_add_htmx_error_keeps_typed_values(client_for, alice, insats_a, forbund_a, in_scope):
    response = client_for(alice).post(
        _url(insats_a, "ar/ny/"),
        {
            "ny-year": "2026",
            "ny-budget_amount": "123456",
            "ny-financed_fte": "1.25",
            "ny-avtal_parties": "Region X",
        },
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Insatsen har redan en rad för år 2026." in body
    assert 'value="123456"' in body
    assert "Region X" in body
    with in_scope(forbund_a):
        assert InsatsYear.objects.filter(insats=insats_a).count() == 1


def test_insats_year_add_without_js_redirects(client_for, alice, insats_a):
    response = client_for(alice).post(
        _url(insats_a, "ar/ny/"), {"ny-year": "2028", "ny-budget_amount": "1", "ny-financed_fte": "0"}
    )
    assert response.status_code == 302


def test_insats_year_edit_htmx_returns_row(client_for, alice, insats_a, forbund_a, in_scope):
    with in_scope(forbund_a):
        row = InsatsYear.objects.get(insats=insats_a)
    prefix = f"ar-{row.public_id}"
    response = client_for(alice).post(
        _url(insats_a, f"ar/{row.public_id}/andra/"),
        {f"{prefix}-year": "2026", f"{prefix}-budget_amount": "999000", f"{prefix}-financed_fte": "3"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<tr id="ar-{row.public_id}">')
    with in_scope(forbund_a):
        assert InsatsYear.objects.get(pk=row.pk).budget_amount == 999000


def test_insats_year_delete_htmx_removes_row(client_for, alice, insats_a, forbund_a, in_scope):
    with in_scope(forbund_a):
        row = InsatsYear.objects.get(insats=insats_a)
    response = client_for(alice).post(_url(insats_a, f"ar/{row.public_id}/ta-bort/"), **HTMX)
    assert response.status_code == 200
    assert response.content == b""
    with in_scope(forbund_a):
        assert not InsatsYear.objects.filter(pk=row.pk).exists()


def _list_queries(client, forbund, count):
    year = timezone.localdate().year
    from apps.tenancy.scope import tenant_scope

    with tenant_scope(forbund):
        for i in range(count):
            make_insats(forbund, f"Insats {count}-{i}", years=[year, year + 1], medparter=2)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/f/alfa/insatser/")
    assert response.status_code == 200
    assert response.content.decode().count(f'">Insats {count}-') == count
    return len(ctx.captured_queries)


def test_insats_list_query_count_is_constant(client_for, alice, forbund_a, forbund_b, insats_b):
    client = client_for(alice)
    few = _list_queries(client, forbund_a, 2)
    many = _list_queries(client, forbund_a, 12)
    assert few == many


def test_insats_detail_shows_status_history(client_for, alice, insats_a, forbund_a, in_scope):
    from apps.insatser import services

    with in_scope(forbund_a):
        services.insats_transition(forbund=forbund_a, actor=alice, insats=insats_a, to=InsatsStatus.BEREDNING)
    body = client_for(alice).get(_url(insats_a)).content.decode()
    assert "Statushistorik" in body
    assert '<th scope="row">Äskande</th>' in body
    assert '<th scope="row">Beredning</th>' in body


def test_insats_nav_item_shown_for_revisor(client_for, bob, insats_a):
    assert ">Insatser</a>" in client_for(bob).get("/f/alfa/").content.decode()


def test_insats_edit_styrelse_gets_403(client_for, stina, insats_a):
    assert client_for(stina).get(_url(insats_a, "andra/")).status_code == 403


def test_insats_edit_form_prefills_medparter(client_for, alice, insats_a):
    body = client_for(alice).get(_url(insats_a, "andra/")).content.decode()
    assert 'value="SamCoach"' in body
    assert "checked" in body


def test_insats_list_defaults_to_latest_year_with_rows_and_obeys_picker(client, alice, forbund_a):
    from apps.tenancy.scope import tenant_scope

    from .conftest import make_insats

    with tenant_scope(forbund_a):
        make_insats(forbund_a, "Gammal insats", years=[2001])
    client.force_login(alice)
    body = client.get("/f/alfa/insatser/").content.decode()
    assert "budget för 2001" in body
    body = client.get("/f/alfa/insatser/?ar=2002").content.decode()
    assert "budget för 2002" in body
    assert client.get("/f/alfa/insatser/?ar=inte-ett-ar").status_code == 200


def test_insats_delete_with_delmal_shows_message_not_500(client, alice, insats_a, forbund_a):
    from apps.tenancy.scope import tenant_scope
    from tests.goals.factories import DelmalFactory, MalomradeFactory

    with tenant_scope(forbund_a):
        DelmalFactory(malomrade=MalomradeFactory(forbund=forbund_a, number=1), number=1, insats=insats_a)
    client.force_login(alice)
    response = client.post(f"/f/alfa/insatser/{insats_a.public_id}/ta-bort/", follow=True)
    assert response.status_code == 400
    assert "kan inte tas bort" in response.content.decode()
