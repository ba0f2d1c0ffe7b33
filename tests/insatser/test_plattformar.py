"""Plattformar in the browser and the förbund's grant requirement setting."""

from __future__ import annotations

import uuid

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.insatser import services
from apps.insatser.models import Insats, InsatsStatus, Plattform
from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope

from .conftest import make_insats

S = InsatsStatus
LIST = "/f/alfa/insatser/plattformar/"
SETTINGS = "/f/alfa/insatser/installningar/"


@pytest.fixture
def plattform_a(forbund_a, forbund_b):
    """Plattform Norrköping in A with one insats; B has its own plattform (noise)."""
    with tenant_scope(forbund_b):
        services.plattform_create(forbund=forbund_b, actor=None, name="Brusplattform")
    with tenant_scope(forbund_a):
        plattform = services.plattform_create(
            forbund=forbund_a, actor=None, name="Norrköping", description="Plattform i Norrköping"
        )
        make_insats(forbund_a, "Plattformsinsats", plattform=plattform)
        return plattform


def _url(plattform, suffix):
    return f"{LIST}{plattform.public_id}/{suffix}"


# services


def test_plattform_create_saves_in_forbund(forbund_a, plattform_a, in_scope):
    with in_scope(forbund_a):
        assert Plattform.objects.get(forbund=forbund_a).name == "Norrköping"


def test_plattform_create_refuses_duplicate_name_in_swedish(forbund_a, plattform_a, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.plattform_create(forbund=forbund_a, actor=None, name="norrköping")
    assert exc.value.message_dict["name"] == ["Det finns redan en plattform som heter norrköping."]


def test_plattform_create_same_name_in_other_forbund_is_allowed(forbund_b, plattform_a, in_scope):
    with in_scope(forbund_b):
        assert services.plattform_create(forbund=forbund_b, actor=None, name="Norrköping").pk


def test_plattform_update_changes_fields(forbund_a, plattform_a, in_scope):
    with in_scope(forbund_a):
        services.plattform_update(
            forbund=forbund_a, actor=None, plattform=plattform_a, name="Norrköping 2", description="Ny"
        )
        plattform_a.refresh_from_db()
    assert (plattform_a.name, plattform_a.description) == ("Norrköping 2", "Ny")


def test_plattform_update_refuses_taken_name(forbund_a, plattform_a, in_scope):
    with in_scope(forbund_a):
        services.plattform_create(forbund=forbund_a, actor=None, name="Finspång")
        with pytest.raises(ValidationError) as exc:
            services.plattform_update(forbund=forbund_a, actor=None, plattform=plattform_a, name="Finspång")
    assert "Det finns redan en plattform som heter Finspång." in exc.value.message_dict["name"]


def test_plattform_update_refuses_plattform_of_other_forbund(forbund_a, forbund_b, plattform_a, in_scope):
    with in_scope(forbund_b), pytest.raises(ValidationError):
        services.plattform_update(forbund=forbund_b, actor=None, plattform=plattform_a, name="X")


def test_plattform_delete_keeps_insatser_ungrouped(forbund_a, plattform_a, in_scope):
    with in_scope(forbund_a):
        services.plattform_delete(forbund=forbund_a, actor=None, plattform=plattform_a)
        assert not Plattform.objects.filter(forbund=forbund_a).exists()
        assert Insats.objects.get(forbund=forbund_a, name="Plattformsinsats").plattform is None


def test_forbund_set_grant_requirement_is_audited(forbund_a, alice):
    services.forbund_set_grant_requirement(forbund=forbund_a, actor=alice, required=True)
    forbund_a.refresh_from_db()
    assert forbund_a.require_plan_before_grant is True
    event = (
        apps.get_model("tenancy", "ForbundEvent")
        .objects.filter(pgh_obj_id=forbund_a.pk, pgh_label="update")
        .latest("pgh_id")
    )
    assert event.pgh_context.metadata["user"] == alice.pk


# views


def test_plattform_list_shows_own_plattformar_with_insatser(client_for, alice, plattform_a):
    body = client_for(alice).get(LIST).content.decode()
    assert "Norrköping" in body
    assert "Plattformsinsats" in body
    assert "Brusplattform" not in body


def test_plattform_list_read_only_insider_reads(client_for, bob, plattform_a):
    response = client_for(bob).get(LIST)
    assert response.status_code == 200
    assert "Norrköping" in response.content.decode()
    assert "Ny plattform" not in response.content.decode()


def test_plattform_list_plattformspersonal_gets_403(client_for, petra, plattform_a):
    assert client_for(petra).get(LIST).status_code == 403


def test_plattform_list_outsider_gets_404(client_for, charlie, plattform_a):
    assert client_for(charlie).get(LIST).status_code == 404


def test_plattform_create_by_alice_redirects_to_list(client_for, alice, forbund_a, plattform_a, in_scope):
    response = client_for(alice).post(f"{LIST}ny/", {"name": "Finspång", "description": ""})
    assert response.status_code == 302
    with in_scope(forbund_a):
        assert Plattform.objects.filter(forbund=forbund_a, name="Finspång").exists()


def test_plattform_create_duplicate_shows_error_and_keeps_input(client_for, alice, plattform_a):
    response = client_for(alice).post(f"{LIST}ny/", {"name": "Norrköping", "description": "Min text"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Det finns redan en plattform som heter Norrköping." in body
    assert "Min text" in body


def test_plattform_edit_by_alice_saves(client_for, alice, forbund_a, plattform_a, in_scope):
    response = client_for(alice).post(_url(plattform_a, "andra/"), {"name": "Nkpg", "description": "x"})
    assert response.status_code == 302
    with in_scope(forbund_a):
        plattform_a.refresh_from_db()
    assert plattform_a.name == "Nkpg"


@pytest.mark.parametrize("suffix", ["andra/", "ta-bort/"])
def test_plattform_edit_pages_read_only_insider_gets_403(client_for, bob, plattform_a, suffix):
    client = client_for(bob)
    assert client.get(_url(plattform_a, suffix)).status_code == 403
    assert client.post(_url(plattform_a, suffix), {"name": "X"}).status_code == 403


def test_plattform_create_read_only_insider_gets_403(client_for, bob, plattform_a):
    assert client_for(bob).post(f"{LIST}ny/", {"name": "X"}).status_code == 403


@pytest.mark.parametrize("suffix", ["andra/", "ta-bort/"])
def test_plattform_edit_pages_outsider_gets_404(client_for, charlie, plattform_a, suffix):
    assert client_for(charlie).get(_url(plattform_a, suffix)).status_code == 404


def test_plattform_of_other_forbund_is_404(client_for, charlie, alice, forbund_b, plattform_a, in_scope):
    with in_scope(forbund_b):
        other = Plattform.objects.get(forbund=forbund_b)
    assert client_for(alice).get(_url(other, "andra/")).status_code == 404
    assert client_for(alice).get(f"{LIST}{uuid.uuid4()}/andra/").status_code == 404


def test_plattform_delete_confirmation_names_insats_count(client_for, alice, plattform_a):
    body = client_for(alice).get(_url(plattform_a, "ta-bort/")).content.decode()
    assert "1 insats är grupperad" in body
    assert "förlorar sin gruppering" in body


def test_plattform_delete_by_alice_removes_it(client_for, alice, forbund_a, plattform_a, in_scope):
    response = client_for(alice).post(_url(plattform_a, "ta-bort/"))
    assert response.status_code == 302
    with in_scope(forbund_a):
        assert not Plattform.objects.filter(forbund=forbund_a).exists()
        assert Insats.objects.filter(forbund=forbund_a, name="Plattformsinsats").exists()


def test_insats_list_links_plattformar_and_settings_for_editor(client_for, alice, forbund_a):
    body = client_for(alice).get("/f/alfa/insatser/").content.decode()
    assert LIST in body
    assert SETTINGS in body


def test_insats_list_hides_settings_link_for_reader(client_for, bob, forbund_a):
    body = client_for(bob).get("/f/alfa/insatser/").content.decode()
    assert LIST in body
    assert SETTINGS not in body


def _list_queries(client, forbund, count):
    with tenant_scope(forbund):
        for i in range(count):
            plattform = services.plattform_create(forbund=forbund, actor=None, name=f"Plattform {count}-{i}")
            make_insats(forbund, f"Insats {count}-{i}a", plattform=plattform)
            make_insats(forbund, f"Insats {count}-{i}b", plattform=plattform)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST)
    assert response.status_code == 200
    assert response.content.decode().count(f">Plattform {count}-") == count
    return len(ctx.captured_queries)


def test_plattform_list_query_count_is_constant(client_for, alice, forbund_a, plattform_a):
    client = client_for(alice)
    few = _list_queries(client, forbund_a, 2)
    many = _list_queries(client, forbund_a, 12)
    assert few == many


# the grant requirement setting


def test_settings_toggled_by_alice_makes_grant_require_plan(client_for, alice, forbund_a, in_scope):
    response = client_for(alice).post(SETTINGS, {"required": "on"})
    assert response.status_code == 302
    forbund_a.refresh_from_db()
    assert forbund_a.require_plan_before_grant is True
    with in_scope(forbund_a):
        insats = make_insats(forbund_a, "Utan plan")
        services.insats_transition(forbund=forbund_a, actor=alice, insats=insats, to=S.BEREDNING)
        with pytest.raises(ValidationError) as exc:
            services.insats_transition(
                forbund=Forbund.objects.get(pk=forbund_a.pk),
                actor=alice,
                insats=insats,
                to=S.BEVILJAD,
                decision_date=insats.created_at.date(),
                decision_paragraph="§ 3",
            )
    assert "Genomförandeplan saknas." in exc.value.message_dict["to"]
    assert "Riskanalys saknas." in exc.value.message_dict["to"]


def test_settings_unchecked_by_alice_turns_requirement_off(client_for, alice, forbund_a):
    services.forbund_set_grant_requirement(forbund=forbund_a, actor=alice, required=True)
    assert client_for(alice).post(SETTINGS, {}).status_code == 302
    forbund_a.refresh_from_db()
    assert forbund_a.require_plan_before_grant is False


def test_settings_revisor_reads_current_value(client_for, bob, forbund_a):
    services.forbund_set_grant_requirement(forbund=forbund_a, actor=None, required=True)
    response = client_for(bob).get(SETTINGS)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<dd>Ja</dd>" in body
    assert 'name="required"' not in body


def test_settings_revisor_cannot_toggle(client_for, bob, forbund_a):
    assert client_for(bob).post(SETTINGS, {"required": "on"}).status_code == 403
    forbund_a.refresh_from_db()
    assert forbund_a.require_plan_before_grant is False


def test_settings_plattformspersonal_gets_403(client_for, petra, forbund_a):
    assert client_for(petra).get(SETTINGS).status_code == 403


def test_settings_outsider_gets_404(client_for, charlie, forbund_a):
    assert client_for(charlie).get(SETTINGS).status_code == 404
    assert client_for(charlie).post(SETTINGS, {"required": "on"}).status_code == 404
