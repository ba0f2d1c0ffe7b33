"""Roles and what the navigation offers."""

from __future__ import annotations

import pytest

from apps.tenancy.abilities import abilities_for
from apps.tenancy.models import Membership, Role
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("role", "ability", "expected"),
    [
        (Role.FORBUNDSCHEF, "plan_edit", True),
        (Role.KANSLI, "plan_edit", True),
        (Role.STYRELSE, "plan_edit", False),
        (Role.STYRELSE, "reports_approve", True),
        (Role.REVISOR, "plan_view", True),
        (Role.REVISOR, "members_edit", False),
        (Role.PLATTFORM, "plan_view", False),
        (Role.PLATTFORM, "participants_log", True),
    ],
)
def test_abilities_by_role(role, ability, expected):
    assert abilities_for(role)[ability] is expected


def test_no_role_has_no_ability():
    assert not any(abilities_for(None).values())


def _client_with_role(client, forbund, role, in_scope):
    user = UserFactory(username=f"{role}@alfa.se")
    with in_scope(forbund):
        Membership.objects.create(forbund=forbund, user=user, role=role)
    client.force_login(user)
    return client


def test_navigation_hides_members_from_plattform(client, forbund_a, in_scope):
    body = _client_with_role(client, forbund_a, Role.PLATTFORM, in_scope).get("/f/alfa/").content.decode()
    assert 'href="/f/alfa/medlemmar/"' not in body


def test_navigation_shows_members_to_revisor(client, forbund_a, in_scope):
    body = _client_with_role(client, forbund_a, Role.REVISOR, in_scope).get("/f/alfa/").content.decode()
    assert 'href="/f/alfa/medlemmar/"' in body
