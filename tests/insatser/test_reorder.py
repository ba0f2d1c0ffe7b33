"""Reordering insatser: the move service, its buttons and who may use them."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.insatser import services
from apps.insatser.models import Insats, InsatsKind
from apps.tenancy.scope import tenant_scope

from .conftest import make_insats

HTMX = {"HTTP_HX_REQUEST": "true"}


def _names(forbund, kind=InsatsKind.INDIVID):
    with tenant_scope(forbund):
        return list(
            Insats.objects.filter(forbund=forbund, kind=kind)
            .order_by("position", "name")
            .values_list("name", flat=True)
        )


@pytest.fixture
def three(forbund_a, forbund_b):
    """Three individinriktade and one strukturinriktad insats in A; noise in B."""
    with tenant_scope(forbund_b):
        make_insats(forbund_b, "Brus ett")
        make_insats(forbund_b, "Brus två")
    with tenant_scope(forbund_a):
        return [
            make_insats(forbund_a, "Cedrus"),
            make_insats(forbund_a, "Björk"),
            make_insats(forbund_a, "Asp"),
            make_insats(forbund_a, "Struktur först", kind=InsatsKind.STRUKTUR),
        ]


def _move_url(insats):
    return f"/f/alfa/insatser/{insats.public_id}/flytta/"


def test_insats_create_puts_new_insats_last_within_kind(forbund_a, three):
    assert _names(forbund_a) == ["Cedrus", "Björk", "Asp"]
    with tenant_scope(forbund_a):
        positions = {i.name: i.position for i in Insats.objects.filter(forbund=forbund_a)}
    assert positions == {"Cedrus": 0, "Björk": 1, "Asp": 2, "Struktur först": 0}


def test_insats_create_ignores_given_position(forbund_a, three):
    with tenant_scope(forbund_a):
        insats = make_insats(forbund_a, "Ek", position=0)
    assert insats.position == 3


def test_insats_move_up_swaps_with_neighbour_in_kind(forbund_a, alice, three):
    with tenant_scope(forbund_a):
        services.insats_move(forbund=forbund_a, actor=alice, insats=three[2], up=True)
    assert _names(forbund_a) == ["Cedrus", "Asp", "Björk"]
    assert _names(forbund_a, InsatsKind.STRUKTUR) == ["Struktur först"]


def test_insats_move_down_swaps_with_neighbour_in_kind(forbund_a, alice, three):
    with tenant_scope(forbund_a):
        services.insats_move(forbund=forbund_a, actor=alice, insats=three[0], up=False)
    assert _names(forbund_a) == ["Björk", "Cedrus", "Asp"]


def test_insats_move_first_up_is_noop(forbund_a, alice, three):
    with tenant_scope(forbund_a):
        services.insats_move(forbund=forbund_a, actor=alice, insats=three[0], up=True)
        services.insats_move(forbund=forbund_a, actor=alice, insats=three[3], up=True)
    assert _names(forbund_a) == ["Cedrus", "Björk", "Asp"]
    assert _names(forbund_a, InsatsKind.STRUKTUR) == ["Struktur först"]


def test_insats_move_last_down_is_noop(forbund_a, alice, three):
    with tenant_scope(forbund_a):
        services.insats_move(forbund=forbund_a, actor=alice, insats=three[2], up=False)
    assert _names(forbund_a) == ["Cedrus", "Björk", "Asp"]


def test_insats_move_normalises_duplicate_positions(forbund_a, alice, three):
    with tenant_scope(forbund_a):
        Insats.objects.filter(forbund=forbund_a).update(position=0)
        services.insats_move(forbund=forbund_a, actor=alice, insats=three[0], up=True)
        positions = dict(
            Insats.objects.filter(forbund=forbund_a, kind=InsatsKind.INDIVID).values_list("name", "position")
        )
    # ties fall back to name: Asp, Björk, Cedrus; Cedrus moves above Björk
    assert positions == {"Asp": 0, "Cedrus": 1, "Björk": 2}


def test_insats_move_leaves_other_forbund_untouched(forbund_a, forbund_b, alice, three):
    before = _names(forbund_b)
    with tenant_scope(forbund_a):
        services.insats_move(forbund=forbund_a, actor=alice, insats=three[2], up=True)
    assert _names(forbund_b) == before


def test_insats_move_refuses_other_forbunds_insats(forbund_a, forbund_b, alice, three):
    from django.core.exceptions import ValidationError

    with tenant_scope(forbund_b), pytest.raises(ValidationError):
        services.insats_move(forbund=forbund_b, actor=alice, insats=three[0], up=True)


def test_insats_move_is_audited(forbund_a, alice, three):
    from django.apps import apps

    event_model = apps.get_model("insatser", "InsatsEvent")
    with tenant_scope(forbund_a):
        services.insats_move(forbund=forbund_a, actor=alice, insats=three[2], up=True)
        event = event_model.objects.filter(pgh_obj_id=three[2].pk).order_by("-pgh_id").first()
        assert event.position == 1
        assert event.pgh_context.metadata["user"] == alice.pk


def test_insats_update_kind_change_goes_last_in_new_kind(forbund_a, alice, three):
    with tenant_scope(forbund_a):
        insats = services.insats_update(
            forbund=forbund_a, actor=alice, insats=three[0], kind=InsatsKind.STRUKTUR
        )
    assert insats.position == 1
    assert _names(forbund_a, InsatsKind.STRUKTUR) == ["Struktur först", "Cedrus"]


def test_insats_move_view_without_js_redirects(client_for, alice, forbund_a, three):
    response = client_for(alice).post(_move_url(three[1]), {"riktning": "upp", "ar": "2026"})
    assert response.status_code == 302
    assert response.url == "/f/alfa/insatser/?ar=2026"
    assert _names(forbund_a) == ["Björk", "Cedrus", "Asp"]


def test_insats_move_view_htmx_returns_tables(client_for, alice, forbund_a, three):
    response = client_for(alice).post(_move_url(three[1]), {"riktning": "ned", "ar": "2026"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="insats-tables">')
    assert "<h1>" not in body
    assert body.index(">Asp<") < body.index(">Björk<")
    assert "Brus ett" not in body
    assert _names(forbund_a) == ["Cedrus", "Asp", "Björk"]


def test_insats_move_view_revisor_forbidden(client_for, bob, forbund_a, three):
    response = client_for(bob).post(_move_url(three[1]), {"riktning": "upp"})
    assert response.status_code == 403
    assert _names(forbund_a) == ["Cedrus", "Björk", "Asp"]


def test_insats_move_view_outsider_not_found(client_for, charlie, forbund_a, three):
    response = client_for(charlie).post(_move_url(three[1]), {"riktning": "upp"})
    assert response.status_code == 404
    assert _names(forbund_a) == ["Cedrus", "Björk", "Asp"]


def test_insats_move_view_other_forbunds_uuid_not_found(client_for, alice, forbund_b, three):
    with tenant_scope(forbund_b):
        noise = Insats.objects.get(forbund=forbund_b, name="Brus ett")
    response = client_for(alice).post(_move_url(noise), {"riktning": "upp"})
    assert response.status_code == 404
    assert client_for(alice).post(f"/f/alfa/insatser/{uuid.uuid4()}/flytta/").status_code == 404


def test_insats_list_shows_move_buttons_to_editor(client_for, alice, three):
    body = client_for(alice).get("/f/alfa/insatser/").content.decode()
    assert 'aria-label="Flytta upp: Björk"' in body
    assert 'aria-label="Flytta ned: Björk"' in body
    assert 'aria-label="Flytta upp: Cedrus"' not in body
    assert 'aria-label="Flytta ned: Asp"' not in body
    assert 'class="button--link"' in body


def test_insats_list_hides_move_buttons_from_revisor(client_for, bob, three):
    response = client_for(bob).get("/f/alfa/insatser/")
    assert response.status_code == 200
    assert "Flytta upp" not in response.content.decode()


def test_insats_list_hides_move_buttons_from_plattform(client_for, petra, forbund_a, three):
    with tenant_scope(forbund_a):
        services.insats_assign_staff(forbund=forbund_a, actor=None, insats=three[0], user=petra)
        services.insats_assign_staff(forbund=forbund_a, actor=None, insats=three[1], user=petra)
    response = client_for(petra).get("/f/alfa/insatser/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cedrus" in body
    assert "Flytta" not in body


def test_insats_move_view_plattform_forbidden(client_for, petra, forbund_a, three):
    response = client_for(petra).post(_move_url(three[1]), {"riktning": "upp"})
    assert response.status_code == 403


def _move_queries(client, forbund, count):
    with tenant_scope(forbund):
        insatser = [
            make_insats(forbund, f"Flytt {count}-{i}", years=[2026], medparter=2) for i in range(count)
        ]
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(_move_url(insatser[-1]), {"riktning": "upp", "ar": "2026"}, **HTMX)
    assert response.status_code == 200
    assert response.content.decode().count('">Flytt ') >= count
    return len(ctx.captured_queries)


def test_insats_move_htmx_query_count_is_constant(client_for, alice, forbund_a, insats_b):
    client = client_for(alice)
    assert _move_queries(client, forbund_a, 2) == _move_queries(client, forbund_a, 12)


def test_insats_list_query_count_is_constant_with_buttons(client_for, alice, forbund_a, insats_b):
    client = client_for(alice)
    counts = []
    for count in (2, 12):
        with tenant_scope(forbund_a):
            for i in range(count):
                make_insats(forbund_a, f"Lista {count}-{i}", years=[2026])
        with CaptureQueriesContext(connection) as ctx:
            body = client.get("/f/alfa/insatser/?ar=2026").content.decode()
        assert body.count('aria-label="Flytta ned: Lista') >= count - 1
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
