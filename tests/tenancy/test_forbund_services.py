"""forbund_update: a platform administrator renames a förbund; validated, audited, fields allowed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.tenancy.models import Forbund
from apps.tenancy.services import forbund_update


def _events() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.pgh_label, e.name, c.metadata->>'user' FROM tenancy_forbundevent e "
            "LEFT JOIN pghistory_context c ON c.id = e.pgh_context_id ORDER BY e.pgh_id"
        )
        return cursor.fetchall()


def test_forbund_update_changes_name_and_org_nr(forbund_a, forbund_b, alice):
    forbund_update(forbund=forbund_a, actor=alice, name=" Samordningsförbundet Gamma ", org_nr="222000-1234")
    stored = Forbund.objects.get(pk=forbund_a.pk)
    assert (stored.name, stored.org_nr) == ("Samordningsförbundet Gamma", "222000-1234")
    assert Forbund.objects.get(pk=forbund_b.pk).name == "Samordningsförbundet Beta"


def test_forbund_update_is_recorded_with_actor(forbund_a, alice):
    forbund_update(forbund=forbund_a, actor=alice, name="Samordningsförbundet Gamma")
    assert _events()[-1] == ("update", "Samordningsförbundet Gamma", str(alice.pk))


def test_forbund_update_refuses_a_name_taken_by_another_forbund(forbund_a, forbund_b, alice):
    with pytest.raises(ValidationError) as error:
        forbund_update(forbund=forbund_a, actor=alice, name="Samordningsförbundet Beta")
    assert "name" in error.value.message_dict
    assert Forbund.objects.get(pk=forbund_a.pk).name == "Samordningsförbundet Alfa"


def test_forbund_update_refuses_fields_with_their_own_service(forbund_a, alice):
    with pytest.raises(TypeError, match="slug"):
        forbund_update(forbund=forbund_a, actor=alice, slug="gamma")
    assert Forbund.objects.get(pk=forbund_a.pk).slug == "alfa"
