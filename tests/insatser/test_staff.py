"""Plattformspersonal: guardian direct-FK grants, the staff selector, and what staff may see."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.insatser import selectors, services
from apps.insatser.models import InsatsUserObjectPermission

from .conftest import make_insats


@pytest.fixture
def granted(forbund_a, insats_a, petra, alice, in_scope):
    with in_scope(forbund_a):
        services.insats_assign_staff(forbund=forbund_a, actor=alice, insats=insats_a, user=petra)
        other = make_insats(forbund_a, "Inte Petras")
    return other


def test_insats_assign_staff_sets_forbund_on_grant(forbund_a, insats_a, petra, granted, in_scope):
    with in_scope(forbund_a):
        grant = InsatsUserObjectPermission.objects.get(user=petra)
    assert grant.forbund_id == forbund_a.pk
    assert grant.content_object_id == insats_a.pk


def test_insats_assign_staff_refuses_non_plattform_user(forbund_a, insats_a, bob, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError, match="inte plattformspersonal"):
        services.insats_assign_staff(forbund=forbund_a, actor=None, insats=insats_a, user=bob)


def test_insats_list_for_staff_returns_only_assigned(forbund_a, insats_a, petra, granted, in_scope):
    with in_scope(forbund_a):
        names = [i.name for i in selectors.insats_list_for_staff(forbund=forbund_a, user=petra)]
    assert names == ["SamCoach"]


def test_insats_list_for_staff_uses_one_query(forbund_a, petra, granted, in_scope):
    with in_scope(forbund_a):
        with CaptureQueriesContext(connection) as ctx:
            rows = list(selectors.insats_list_for_staff(forbund=forbund_a, user=petra))
    assert len(rows) == 1
    assert len(ctx.captured_queries) == 1
    assert "guardian_userobjectpermission" not in ctx.captured_queries[0]["sql"]


def test_insats_unassign_staff_removes_access(forbund_a, insats_a, petra, granted, in_scope):
    with in_scope(forbund_a):
        services.insats_unassign_staff(forbund=forbund_a, actor=None, insats=insats_a, user=petra)
        assert not selectors.insats_list_for_staff(forbund=forbund_a, user=petra).exists()


def test_insats_staff_has_guardian_object_permission(forbund_a, insats_a, petra, granted, in_scope):
    with in_scope(forbund_a):
        assert petra.has_perm("insatser.log_participants", insats_a)
        assert not petra.has_perm("insatser.log_participants", granted)


def test_insats_list_staff_sees_only_assigned(client_for, petra, insats_a, granted):
    body = client_for(petra).get("/f/alfa/insatser/").content.decode()
    assert "SamCoach" in body
    assert "Inte Petras" not in body
    assert "Brus i Beta" not in body
    assert ">Insatser</a>" in body


def test_insats_detail_staff_reads_assigned(client_for, petra, insats_a, granted):
    response = client_for(petra).get(f"/f/alfa/insatser/{insats_a.public_id}/")
    assert response.status_code == 200
    assert "Ändra insatsen" not in response.content.decode()


def test_insats_detail_staff_gets_404_on_other(client_for, petra, granted):
    response = client_for(petra).get(f"/f/alfa/insatser/{granted.public_id}/")
    assert response.status_code == 404


def test_insats_edit_staff_gets_403(client_for, petra, insats_a, granted):
    response = client_for(petra).get(f"/f/alfa/insatser/{insats_a.public_id}/andra/")
    assert response.status_code == 403


def test_insats_staff_add_view_grants_access(client_for, alice, petra, insats_a, forbund_a, in_scope):
    response = client_for(alice).post(f"/f/alfa/insatser/{insats_a.public_id}/personal/", {"user": petra.pk})
    assert response.status_code == 302
    with in_scope(forbund_a):
        assert selectors.insats_list_for_staff(forbund=forbund_a, user=petra).count() == 1
