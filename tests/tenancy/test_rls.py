"""Row-level security at the SQL level, and the `tenancy` system check that guards it."""

from __future__ import annotations

import pytest
from django.core import checks
from django.db import DatabaseError, connection, transaction

from apps.tenancy import dbroles, rls
from samordning.db import logins


def _tenant_check_errors():
    return checks.run_checks(tags=["tenancy"], include_deployment_checks=True, databases=["default"])


def test_every_tenant_table_has_forced_rls(db):
    tables = rls.tenant_tables(connection)
    names = {name for name, _, _ in tables}
    assert {"members_medlem", "tenancy_membership", "members_medlemevent"} <= names
    assert all(enabled and forced for _, enabled, forced in tables)


def test_insert_without_setting_is_refused(forbund_b):
    with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO members_medlem (forbund_id, public_id, created_at, updated_at, name, kind, position)"
                " VALUES (%s, gen_random_uuid(), now(), now(), 'Intrång', 'kommun', 0)",
                [forbund_b.pk],
            )


def test_app_role_cannot_truncate(tenant_rows):
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE members_medlem")


def test_app_role_cannot_disable_rls(db):
    with pytest.raises(DatabaseError, match="must be owner"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE members_medlem DISABLE ROW LEVEL SECURITY")


def test_tenancy_check_passes_on_migrated_database(db):
    assert _tenant_check_errors() == []


@pytest.fixture
def owner_ddl():
    """Runs committed DDL as the owner beside the test's own (app) connection; drops it after."""
    created = []
    with dbroles.raw_connection(logins.OWNER) as raw:

        def run(table, *statements):
            created.append(table)
            for statement in statements:
                raw.execute(statement)

        try:
            yield run
        finally:
            for table in created:
                raw.execute(f"DROP TABLE IF EXISTS {table}")


def test_tenancy_check_fails_on_table_without_rls(db, owner_ddl):
    owner_ddl("tmp_unprotected", "CREATE TABLE tmp_unprotected (id bigint, forbund_id bigint)")
    errors = _tenant_check_errors()
    # Without row-level security, and without the data version's triggers either.
    assert [e.id for e in errors] == ["tenancy.E001", "tenancy.E006"]
    assert all("tmp_unprotected" in e.msg for e in errors)


def test_tenancy_check_fails_on_enabled_but_not_forced_rls(db, owner_ddl):
    owner_ddl(
        "tmp_half",
        "CREATE TABLE tmp_half (id bigint, forbund_id bigint)",
        "ALTER TABLE tmp_half ENABLE ROW LEVEL SECURITY",
    )
    errors = _tenant_check_errors()
    assert any("tmp_half" in e.msg and "FORCE" in e.msg for e in errors)


def test_tenancy_check_fails_when_app_role_bypasses_rls(db, settings):
    settings.DB_APP_ROLE = settings.DB_OWNER_ROLE  # pretend the owner serves requests
    errors = _tenant_check_errors()
    assert any("äger tabeller" in e.msg for e in errors)
