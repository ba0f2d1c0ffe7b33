"""The database logins at work: the app role for everything, the owner for schema work.

Every connection logs in as the application role (``settings.DB_APP_ROLE``); it owns nothing
and cannot become anyone else, so ``RESET ROLE`` gives it nothing. Schema work reconnects,
explicitly and greppably, as the owner with :func:`owner_login`. Creating the roles needs the
admin login, which exists only where ``DATABASE_URL`` names one (development, CI, tests); see
:mod:`samordning.db.logins`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import sql

from samordning.db import logins


@contextlib.contextmanager
def owner_login(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Reconnect ``using`` as the table owner for schema work (migrate, flush), then back."""
    connection = connections[using]
    if logins.login_params(connection.settings_dict, logins.OWNER) is None:
        yield  # no separate owner configured (DB_OWNER_ROLE empty): the login does it all
        return
    if connection.in_atomic_block:
        raise RuntimeError("Byte till ägarrollen kräver en ny anslutning, utanför en transaktion.")
    previous = connection.login
    connection.close()
    connection.login = logins.OWNER
    try:
        yield
    finally:
        connection.close()
        connection.login = previous


@contextlib.contextmanager
def raw_connection(kind: str, using: str = DEFAULT_DB_ALIAS) -> Iterator[psycopg.Connection | None]:
    """A separate autocommit connection to the same database as login ``kind``; None if none.

    For the admin's role bootstrap, and for tests that need the owner beside the app.
    """
    connection = connections[using]
    if logins.login_params(connection.settings_dict, kind) is None:
        yield None
        return
    params = logins.apply_login(connection.get_connection_params(), connection.settings_dict, kind)
    params = {k: v for k, v in params.items() if k not in ("context", "cursor_factory")}
    with psycopg.connect(**params, autocommit=True) as raw:
        yield raw


def ensure_roles(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Create the owner and app login roles through the admin login, when there is one."""
    settings_dict = connections[using].settings_dict
    owner = logins.login_params(settings_dict, logins.OWNER) or {}
    with raw_connection(logins.ADMIN, using) as raw:
        if raw is None:
            return False
        with raw.cursor() as cursor:
            return logins.ensure_roles(
                cursor,
                owner_role=settings.DB_OWNER_ROLE,
                app_role=settings.DB_APP_ROLE,
                owner_password=owner.get("PASSWORD", ""),
                app_password=settings_dict.get("PASSWORD") or "",
            )


def _fmt(statement: str, **names: str) -> str:
    return sql.SQL(statement).format(**{k: sql.Identifier(v) for k, v in names.items()}).as_string()


def grant_app_privileges(connection) -> None:
    """Give the app role DML on everything in public: never DDL, TRUNCATE or ownership."""
    app = settings.DB_APP_ROLE
    if not app:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _fmt("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app}", app=app)
        )
        cursor.execute(
            _fmt("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {app}", app=app)
        )
        cursor.execute(_fmt("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {app}", app=app))


_LOGIN_SQL = "SELECT session_user::text, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = session_user"
# Roles the login could SET ROLE into that would lift row-level security: superusers, BYPASSRLS
# roles and table owners (an owner may disable RLS on its tables).
_ESCALATION_SQL = """
SELECT r.rolname FROM pg_roles r
WHERE r.rolname <> session_user
  AND pg_has_role(session_user, r.oid, 'MEMBER')
  AND (r.rolsuper OR r.rolbypassrls
       OR EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = 'public' AND t.tableowner = r.rolname))
ORDER BY 1
"""


def login_problems(connection) -> list[str]:
    """What is wrong with the login this connection uses for ordinary work, in plain sentences."""
    problems = []
    with connection.cursor() as cursor:
        cursor.execute(_LOGIN_SQL)
        user, superuser, bypass = cursor.fetchone()
        if superuser:
            problems.append(f"Applikationen loggar in som superuser ({user})")
        elif bypass:
            problems.append(f"Applikationen loggar in som {user}, som har BYPASSRLS")
        if settings.DB_APP_ROLE and user != settings.DB_APP_ROLE:
            problems.append(
                f"Applikationen loggar in som {user}, inte som applikationsrollen {settings.DB_APP_ROLE}"
            )
        if superuser:
            return problems  # a superuser may become anyone: listing them all adds nothing
        cursor.execute(_ESCALATION_SQL)
        for (role,) in cursor.fetchall():
            problems.append(f"Inloggningen {user} kan byta till rollen {role} (SET ROLE) och kringgå RLS")
    return problems
