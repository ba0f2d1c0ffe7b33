"""Every write to a tenant table is in the audit trail, with the acting user."""

from __future__ import annotations

from django.db import connection

from apps.members.models import Medlem
from apps.members.services import medlem_upsert
from apps.tenancy.scope import tenant_scope


def _events(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.pgh_label, e.forbund_id, c.metadata->>'user' FROM {table} e "  # noqa: S608
            "LEFT JOIN pghistory_context c ON c.id = e.pgh_context_id ORDER BY e.pgh_id"
        )
        return cursor.fetchall()


def test_service_write_is_recorded_with_actor(forbund_a, alice):
    with tenant_scope(forbund_a):
        medlem_upsert(forbund=forbund_a, actor=alice, name="Motala kommun", kind="kommun")
        events = _events("members_medlemevent")
    assert events == [("insert", forbund_a.pk, str(alice.pk))]


def test_bulk_update_is_recorded_per_row(forbund_a, tenant_rows):
    with tenant_scope(forbund_a):
        Medlem.objects.filter(forbund=forbund_a).update(population=12345)
        labels = [label for label, _, _ in _events("members_medlemevent")]
    assert labels.count("update") == 1


def test_delete_is_recorded(forbund_a, tenant_rows):
    with tenant_scope(forbund_a):
        Medlem.objects.filter(forbund=forbund_a).delete()
        labels = [label for label, _, _ in _events("members_medlemevent")]
    assert "delete" in labels


def test_history_is_under_rls(forbund_a, forbund_b, tenant_rows):
    with tenant_scope(forbund_b):
        forbund_ids = {fid for _, fid, _ in _events("members_medlemevent")}
    assert forbund_ids == {forbund_b.pk}


def test_every_tenant_model_is_audited():
    import pghistory.models
    from django.apps import apps

    from apps.tenancy.models import TenantModel

    tracked = {
        m.pgh_tracked_model
        for m in apps.get_models()
        if issubclass(m, pghistory.models.Event) and hasattr(m, "pgh_tracked_model")
    }
    tenant_models = {m for m in apps.get_models() if issubclass(m, TenantModel)}
    assert tenant_models and tenant_models <= tracked


def test_request_write_records_user(client, forbund_a, alice, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    admin = UserFactory(username="admin", is_superuser=True)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/plattform/alfa/", {"email": "x@kommun.se", "role": "kansli"})
    with tenant_scope(forbund_a):
        events = _events("tenancy_invitationevent")
    assert events == [("insert", forbund_a.pk, str(admin.pk))]
