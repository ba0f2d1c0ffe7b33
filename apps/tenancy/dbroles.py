"""The database roles: the login role, the owner (schema changes), the RLS-bound app role.

Every connection assumes the application role as soon as it opens (see
``samordning/db/postgresql/base.py``). Schema work switches explicitly, and greppably, with
:func:`owner_role`; creating the roles themselves needs the login role (:func:`login_role`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from django.conf import settings
from django.db import connections
from psycopg import sql

_state = threading.local()

APP, OWNER, LOGIN = "app", "owner", "login"


def mode() -> str:
    """Which role new and open connections assume: app (default), owner or login."""
    return getattr(_state, "mode", APP)


def role_for_mode(current: str | None = None) -> str | None:
    """The role name to SET for a mode; None means stay the login role."""
    current = current or mode()
    if current == LOGIN:
        return None
    return (settings.DB_OWNER_ROLE if current == OWNER else settings.DB_APP_ROLE) or None


def _apply(role: str | None, *, closing_on_error: bool = False) -> None:
    for conn in connections.all(initialized_only=True):
        if conn.vendor != "postgresql" or conn.connection is None:
            continue
        try:
            with conn.cursor() as cursor:
                if role:
                    cursor.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)).as_string())
                else:
                    cursor.execute("RESET ROLE")
        except Exception:
            if not closing_on_error:
                raise
            # Leaving a block after an error: never hide the first error behind this one.
            # A closed connection reopens in the restored mode (see the database backend).
            conn.close()


@contextlib.contextmanager
def _switch(new_mode: str) -> Iterator[None]:
    previous = mode()
    _state.mode = new_mode
    _apply(role_for_mode(new_mode))
    try:
        yield
    except BaseException:
        _state.mode = previous
        _apply(role_for_mode(previous), closing_on_error=True)
        raise
    _state.mode = previous
    _apply(role_for_mode(previous))


def owner_role() -> contextlib.AbstractContextManager[None]:
    """Run schema work (migrate, flush) as the table owner."""
    return _switch(OWNER)


def login_role() -> contextlib.AbstractContextManager[None]:
    """Run as the login role itself: only to create the roles and grant schema rights."""
    return _switch(LOGIN)


_CREATE_ROLE = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {lit}) THEN
        CREATE ROLE {ident} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOINHERIT;
    END IF;
END
$$;
"""


def _fmt(statement: str, **names: str) -> str:
    return sql.SQL(statement).format(**{k: sql.Identifier(v) for k, v in names.items()}).as_string()


def ensure_roles(connection) -> None:
    """Create the owner and app roles when the login role may, and grant schema rights.

    Idempotent. Run as the login role. In production the roles exist already and the login
    role *is* the owner or the app role; then this does nothing.
    """
    owner, app = settings.DB_OWNER_ROLE, settings.DB_APP_ROLE
    if not owner or not app:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if not row or not row[0]:
            return
        for role in (owner, app):
            cursor.execute(
                sql.SQL(_CREATE_ROLE).format(lit=sql.Literal(role), ident=sql.Identifier(role)).as_string()
            )
            cursor.execute("SELECT current_user = %s", [role])
            if not cursor.fetchone()[0]:  # the login may be the owner role itself
                cursor.execute(_fmt("GRANT {role} TO CURRENT_USER", role=role))
        cursor.execute(_fmt("GRANT USAGE, CREATE ON SCHEMA public TO {owner}", owner=owner))
        cursor.execute(_fmt("GRANT USAGE ON SCHEMA public TO {app}", app=app))


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
