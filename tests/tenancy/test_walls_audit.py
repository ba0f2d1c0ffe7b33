"""The audit trail is append-only for the app role, its contexts are per förbund, pruning is narrow."""

from __future__ import annotations

import pghistory
import pytest
from django.core import checks
from django.db import DatabaseError, connection, transaction
from psycopg import sql

from apps.members.models import Medlem, Organ
from apps.members.services import medlem_upsert
from apps.tenancy import dbroles, walls
from apps.tenancy.scope import tenant_scope
from apps.tenancy.services import forbund_create
from samordning.db import logins
from tests.factories import UserFactory


def _rows(query, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _refused(query):
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(query)


@pytest.fixture
def history_a(forbund_a, alice):
    with tenant_scope(forbund_a):
        medlem_upsert(forbund=forbund_a, actor=alice, name="Motala kommun", kind="kommun")


def test_app_role_cannot_update_history(history_a, forbund_a):
    with tenant_scope(forbund_a):
        _refused("UPDATE members_medlemevent SET name = 'Förfalskad'")


def test_app_role_cannot_delete_history(history_a, forbund_a):
    with tenant_scope(forbund_a):
        _refused("DELETE FROM members_medlemevent")


def test_app_role_cannot_truncate_history(history_a, forbund_a):
    with tenant_scope(forbund_a):
        _refused("TRUNCATE members_medlemevent")


def test_app_role_cannot_write_context_rows_itself(history_a, forbund_a):
    with tenant_scope(forbund_a):
        _refused(
            "INSERT INTO pghistory_context (id, metadata, created_at, updated_at, forbund_id)"
            f" VALUES (gen_random_uuid(), '{{}}', now(), now(), {forbund_a.pk})"
        )


def test_app_role_cannot_rewrite_context_rows(history_a, forbund_a):
    with tenant_scope(forbund_a):
        _refused("""UPDATE pghistory_context SET metadata = '{"user": 1}'""")


def test_app_role_cannot_delete_context_rows(history_a, forbund_a):
    with tenant_scope(forbund_a):
        _refused("DELETE FROM pghistory_context")


def test_context_rows_are_visible_only_in_their_forbund(forbund_a, forbund_b, alice, charlie, history_a):
    # charlie before history_a: pghistory's context setting lasts to the end of the transaction,
    # which in a test is the whole test.
    with tenant_scope(forbund_b):
        medlem_upsert(forbund=forbund_b, actor=charlie, name="Region Beta", kind="region")
        seen_in_b = _rows("SELECT metadata->>'user', forbund_id FROM pghistory_context")
    with tenant_scope(forbund_a):
        seen_in_a = _rows("SELECT metadata->>'user', forbund_id FROM pghistory_context")
    with transaction.atomic():
        seen_outside = _rows("SELECT 1 FROM pghistory_context WHERE forbund_id IS NOT NULL")
    assert seen_in_a == [(str(alice.pk), forbund_a.pk)]
    assert seen_in_b == [(str(charlie.pk), forbund_b.pk)]
    assert seen_outside == []


def test_context_rows_outside_any_forbund_stay_outside(forbund_a):
    admin = UserFactory(username="plattformsadmin", is_superuser=True)
    forbund_create(actor=admin, name="Samordningsförbundet Gamma", slug="gamma")
    with transaction.atomic():
        outside = _rows("SELECT metadata->>'user' FROM pghistory_context")
    with tenant_scope(forbund_a):
        inside = _rows("SELECT 1 FROM pghistory_context")
    assert outside == [(str(admin.pk),)]
    assert inside == []


def test_one_context_writing_in_two_forbund_gets_a_row_in_each(forbund_a, forbund_b, alice):
    with pghistory.context(user=alice.pk):
        for forbund in (forbund_a, forbund_b):
            with tenant_scope(forbund):
                Medlem.objects.create(forbund=forbund, name=f"Kommun i {forbund.slug}", kind="kommun")
    joined = {}
    for forbund in (forbund_a, forbund_b):
        with tenant_scope(forbund):
            joined[forbund.slug] = _rows(
                "SELECT c.id, c.metadata->>'user' FROM members_medlemevent e"
                " JOIN pghistory_context c ON c.id = e.pgh_context_id"
            )
    assert [user for _, user in joined["alfa"]] == [str(alice.pk)]
    assert [user for _, user in joined["beta"]] == [str(alice.pk)]
    assert joined["alfa"][0][0] != joined["beta"][0][0]


@pytest.mark.django_db(transaction=True)
def test_context_row_of_an_earlier_transaction_is_not_rewritten(forbund_a, alice, charlie):
    with pghistory.context(user=alice.pk):
        with tenant_scope(forbund_a):
            Medlem.objects.create(forbund=forbund_a, name="Linköpings kommun", kind="kommun")
        pghistory.context(user=charlie.pk)  # same context, another transaction, other metadata
        with tenant_scope(forbund_a):
            Medlem.objects.create(forbund=forbund_a, name="Norrköpings kommun", kind="kommun")
    with tenant_scope(forbund_a):
        users = _rows(
            "SELECT DISTINCT c.metadata->>'user' FROM members_medlemevent e"
            " JOIN pghistory_context c ON c.id = e.pgh_context_id"
        )
    assert users == [(str(alice.pk),)]


def test_history_walls_hold_on_the_migrated_database(db):
    assert walls.audit_problems(connection) == []
    assert "members_medlemevent" in walls.event_tables(connection)


def test_tenancy_check_fails_when_app_role_may_delete_history(db, settings):
    grant = sql.SQL("{} DELETE ON members_medlemevent {} {}")
    app = sql.Identifier(settings.DB_APP_ROLE)
    with dbroles.raw_connection(logins.OWNER) as raw:
        raw.execute(grant.format(sql.SQL("GRANT"), sql.SQL("TO"), app))
        try:
            errors = checks.run_checks(
                tags=["tenancy"], include_deployment_checks=True, databases=["default"]
            )
        finally:
            raw.execute(grant.format(sql.SQL("REVOKE"), sql.SQL("FROM"), app))
    assert any(
        e.id == "tenancy.E004" and "DELETE" in e.msg and "members_medlemevent" in e.msg for e in errors
    )


def test_audit_check_fails_when_pghistorys_own_attach_function_is_back(db):
    with dbroles.raw_connection(logins.OWNER) as raw, raw.transaction(force_rollback=True):
        raw.execute(
            "CREATE OR REPLACE FUNCTION public._pgh_attach_context() RETURNS uuid"
            " LANGUAGE sql AS 'SELECT NULL::uuid'"
        )
        problems = walls.audit_problems(raw)
    assert any("_pgh_attach_context" in p for p in problems)


# --- purging the history of deleted rows -----------------------------------------------------


@pytest.fixture
def medlem_history_purgeable(db):
    """members_medlemevent open to purging, for this test only (the real user is followup)."""
    registered = walls.history_purgeable()  # before any test patches the registry
    with dbroles.raw_connection(logins.OWNER) as raw:
        walls.install_history_purge(raw, {"members_medlemevent": ("members_medlem", "id")})
        try:
            yield
        finally:
            walls.install_history_purge(raw, registered)


def _purge(event_table, ids):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {walls.PURGE_FUNCTION}(%s, %s)", [event_table, ids])
        return cursor.fetchone()[0]


def test_purge_refuses_history_not_registered(history_a, forbund_a):
    with tenant_scope(forbund_a), pytest.raises(DatabaseError, match="may not be purged"):
        with transaction.atomic():
            _purge("members_medlemevent", [1])


def test_purge_needs_a_forbund_in_scope(medlem_history_purgeable, history_a):
    with pytest.raises(DatabaseError, match="needs app.forbund_id"), transaction.atomic():
        _purge("members_medlemevent", [1])


def test_purge_deletes_history_of_deleted_rows_only_in_the_forbund_in_scope(
    medlem_history_purgeable, forbund_a, forbund_b
):
    with tenant_scope(forbund_b):
        kept_in_b = Medlem.objects.create(forbund=forbund_b, name="Region Beta", kind="region")
    with tenant_scope(forbund_a):
        gone = Medlem.objects.create(forbund=forbund_a, name="Nedlagd kommun", kind="kommun")
        alive = Medlem.objects.create(forbund=forbund_a, name="Motala kommun", kind="kommun")
        gone_pk = gone.pk
        gone.delete()
        deleted = _purge("members_medlemevent", [gone_pk, alive.pk, kept_in_b.pk])
        left_in_a = _rows("SELECT pgh_obj_id, pgh_label FROM members_medlemevent ORDER BY pgh_id")
    with tenant_scope(forbund_b):
        left_in_b = _rows("SELECT pgh_obj_id FROM members_medlemevent")
    assert deleted == 2  # the insert and the delete event of the deleted row
    assert left_in_a == [(alive.pk, "insert")]
    assert left_in_b == [(kept_in_b.pk,)]


def test_history_purge_deletes_the_history_of_a_registered_model(
    medlem_history_purgeable, monkeypatch, forbund_a
):
    monkeypatch.setattr(walls, "_purgeable", {"members_medlemevent": ("members_medlem", "id")})
    with tenant_scope(forbund_a):
        gone = Medlem.objects.create(forbund=forbund_a, name="Nedlagd kommun", kind="kommun")
        gone_pk = gone.pk
        gone.delete()
        purged = walls.history_purge(model=Medlem, object_ids=[gone_pk])
        not_registered = walls.history_purge(model=Organ, object_ids=[gone_pk])
        left = _rows("SELECT 1 FROM members_medlemevent WHERE pgh_obj_id = %s", [gone_pk])
    assert (purged, not_registered, left) == (2, 0, [])
