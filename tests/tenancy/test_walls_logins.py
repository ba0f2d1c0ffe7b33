"""The app logs in as the app role itself: no superuser behind it, no role to switch into."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from psycopg import sql

from apps.tenancy import dbroles
from samordning.db import logins


def _one(query):
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchone()


def test_app_logs_in_as_app_role_without_superuser(db):
    user, superuser, bypass = _one(
        "SELECT session_user::text, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = session_user"
    )
    assert (user, superuser, bypass) == (settings.DB_APP_ROLE, False, False)


def test_reset_role_keeps_the_app_role(db):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            cursor.execute(
                "SELECT current_user::text, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
            )
            row = cursor.fetchone()
    assert row == (settings.DB_APP_ROLE, False)


def test_set_role_to_owner_is_refused(db):
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(settings.DB_OWNER_ROLE)).as_string())


def test_set_role_to_a_superuser_is_refused(db):
    (superuser,) = _one("SELECT rolname::text FROM pg_roles WHERE rolsuper ORDER BY rolname LIMIT 1")
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(superuser)).as_string())


def test_tables_are_owned_by_the_owner_login(db):
    # The app's schema only: the browser tests keep a copy of the demo in a schema of their own.
    (owner,) = _one(
        "SELECT tableowner::text FROM pg_tables WHERE schemaname = 'public' AND tablename = 'members_medlem'"
    )
    assert owner == settings.DB_OWNER_ROLE


def test_login_check_passes_for_the_app_login(db):
    assert dbroles.login_problems(connection) == []


@pytest.fixture
def admin_raw(db):
    with dbroles.raw_connection(logins.ADMIN) as raw:
        if raw is None:
            pytest.skip("DATABASE_URL names the app role itself: no admin login to test with")
        yield raw


def test_login_check_flags_a_superuser_login(admin_raw):
    problems = dbroles.login_problems(admin_raw)
    assert any("superuser" in p for p in problems)


def test_login_check_flags_a_login_that_can_become_the_owner(admin_raw):
    role = f"tmp_login_{uuid.uuid4().hex[:8]}"
    ident = sql.Identifier(role)
    admin_raw.execute(sql.SQL("CREATE ROLE {} LOGIN NOINHERIT").format(ident))
    try:
        admin_raw.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(settings.DB_OWNER_ROLE), ident))
        with psycopg.connect(
            user=role,
            dbname=connection.settings_dict["NAME"],
            host=admin_raw.info.host,
            port=admin_raw.info.port,
            autocommit=True,
        ) as raw:
            problems = dbroles.login_problems(raw)
    finally:
        admin_raw.execute(sql.SQL("DROP ROLE {}").format(ident))
    assert any(f"kan byta till rollen {settings.DB_OWNER_ROLE}" in p for p in problems)


def test_database_url_round_trips_every_connection_setting():
    import environ

    given = {
        "NAME": "test_samordning",
        "USER": "samordning_app",
        "PASSWORD": "p@ss/ord",
        "HOST": "/srv/x y/.data/postgres",
        "PORT": 5433,
        "OPTIONS": {"sslmode": "prefer"},
    }
    parsed = environ.Env.db_url_config(logins.database_url(given))
    assert {k: parsed[k] for k in ("NAME", "USER", "PASSWORD")} == {
        "NAME": "test_samordning",
        "USER": "samordning_app",
        "PASSWORD": "p@ss/ord",
    }
    assert parsed["OPTIONS"] == {"host": "/srv/x y/.data/postgres", "port": 5433, "sslmode": "prefer"}


def test_superuser_url_becomes_admin_and_app_login_is_derived():
    config = logins.database_settings(
        {"NAME": "samordning", "USER": "postgres", "PASSWORD": "", "HOST": "127.0.0.1", "PORT": 5432},
        app_role="samordning_app",
        owner_role="samordning_owner",
        owner_password="hemligt",
    )
    assert (config["USER"], config["HOST"], config["NAME"]) == ("samordning_app", "127.0.0.1", "samordning")
    assert config[logins.LOGINS_KEY] == {
        "admin": {"USER": "postgres", "PASSWORD": ""},
        "owner": {"USER": "samordning_owner", "PASSWORD": "hemligt"},
    }


def test_app_role_url_is_used_as_given_without_admin():
    config = logins.database_settings(
        {"NAME": "samordning", "USER": "samordning_app", "PASSWORD": "x", "HOST": "db", "PORT": 5432},
        app_role="samordning_app",
        owner_role="samordning_owner",
    )
    assert (config["USER"], config["PASSWORD"]) == ("samordning_app", "x")
    assert logins.ADMIN not in config[logins.LOGINS_KEY]
