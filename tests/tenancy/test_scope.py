import pytest
from django.db import connection

from apps.members.models import Medlem
from apps.tenancy.scope import TenantScopeError, scopes_disabled, tenant_scope


def test_tenant_manager_raises_outside_scope(tenant_rows):
    with pytest.raises(TenantScopeError):
        list(Medlem.objects.all())


def test_tenant_manager_limits_rows_to_scope(forbund_a, tenant_rows):
    with tenant_scope(forbund_a):
        names = list(Medlem.objects.values_list("name", flat=True))
    assert names == [tenant_rows["alfa"].name]


def test_queries_run_as_rls_bound_role(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        user, superuser, bypass = cursor.fetchone()
    assert user == "samordning_app"
    assert not superuser and not bypass


def test_sql_select_without_setting_returns_no_rows(tenant_rows):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM members_medlem")
        assert cursor.fetchone()[0] == 0


def test_scopes_disabled_still_bound_by_rls(tenant_rows):
    with scopes_disabled():
        assert Medlem.objects.count() == 0


def test_sql_insert_of_other_forbund_row_is_refused(forbund_a, forbund_b, tenant_rows):
    from django.db import DatabaseError, transaction

    with tenant_scope(forbund_a):
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO members_medlem (forbund_id, public_id, created_at, updated_at, name, kind, position)"
                    " VALUES (%s, gen_random_uuid(), now(), now(), 'Intrång', 'kommun', 0)",
                    [forbund_b.pk],
                )
