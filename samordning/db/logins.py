"""The database logins: the app role for every query, the owner for schema work, an admin to bootstrap.

The application always logs in as ``DB_APP_ROLE`` itself (never as a superuser that switches
role), so no ``RESET ROLE`` can reach more rights. ``DATABASE_URL`` names either that login
(production) or another one, typically a superuser (development, CI, the embedded PostgreSQL):
then that login is only the *admin* login, which creates the roles and the test databases,
and the app and owner logins are derived from it: same server and database, users
``DB_APP_ROLE`` and ``DB_OWNER_ROLE`` with ``DB_APP_PASSWORD`` and ``DB_OWNER_PASSWORD``.

This module imports neither Django nor the apps: the settings and ``scripts/services.py``
use it before Django is set up.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

APP, OWNER, ADMIN = "app", "owner", "admin"
DEFAULT_APP_ROLE, DEFAULT_OWNER_ROLE = "samordning_app", "samordning_owner"
# Extra key of the Django DATABASES entry: the logins other than the app's own USER/PASSWORD.
LOGINS_KEY = "LOGINS"


def database_settings(
    config: dict[str, Any],
    *,
    app_role: str,
    owner_role: str,
    app_password: str = "",
    owner_password: str = "",
) -> dict[str, Any]:
    """Turn a parsed DATABASE_URL into a Django DATABASES entry that logs in as the app role.

    ``config`` is what ``environ.Env.db_url_config`` returns. With ``app_role`` empty the URL's
    login is used as it is (and the ``tenancy`` check judges that login).
    """
    config = {**config, "OPTIONS": dict(config.get("OPTIONS") or {})}
    given = {"USER": config.get("USER") or "", "PASSWORD": config.get("PASSWORD") or ""}
    logins: dict[str, dict[str, str]] = {}
    if app_role and given["USER"] != app_role:
        logins[ADMIN] = given
        config["USER"], config["PASSWORD"] = app_role, app_password
    if owner_role:
        # An old-style owner URL (the login *is* the owner) keeps its own password.
        password = given["PASSWORD"] if given["USER"] == owner_role else owner_password
        logins[OWNER] = {"USER": owner_role, "PASSWORD": password}
    config[LOGINS_KEY] = logins
    return config


def login_params(settings_dict: dict[str, Any], kind: str) -> dict[str, str] | None:
    """USER/PASSWORD of a login kind, or None when the settings hold no such separate login."""
    if kind == APP:
        return {"USER": settings_dict.get("USER") or "", "PASSWORD": settings_dict.get("PASSWORD") or ""}
    return (settings_dict.get(LOGINS_KEY) or {}).get(kind)


def apply_login(conn_params: dict[str, Any], settings_dict: dict[str, Any], kind: str) -> dict[str, Any]:
    """psycopg connection parameters for ``kind``, from those Django built for the app login."""
    login = login_params(settings_dict, kind)
    if login is None:
        return conn_params
    params = {k: v for k, v in conn_params.items() if k not in ("user", "password")}
    if login["USER"]:
        params["user"] = login["USER"]
    if login["PASSWORD"]:
        params["password"] = login["PASSWORD"]
    return params


def database_url(settings_dict: dict[str, Any], kind: str = APP) -> str:
    """A postgres:// URL for one login of a DATABASES entry, for a child process's DATABASE_URL.

    Keeps everything that reaches the server: host or socket directory, port, database name
    and options (a socket directory of the embedded PostgreSQL is an option, ``?host=``).
    """
    login = login_params(settings_dict, kind) or login_params(settings_dict, APP) or {}
    userinfo = quote(login.get("USER", ""), safe="")
    if login.get("PASSWORD"):
        userinfo += ":" + quote(login["PASSWORD"], safe="")
    host = str(settings_dict.get("HOST") or "")
    options = {k: v for k, v in (settings_dict.get("OPTIONS") or {}).items() if isinstance(v, str | int)}
    netloc = ""
    if host.startswith("/"):
        options["host"] = host
    elif host:
        netloc = host
    if settings_dict.get("PORT") and netloc:
        netloc += f":{settings_dict['PORT']}"
    elif settings_dict.get("PORT"):
        options["port"] = settings_dict["PORT"]
    url = f"postgres://{userinfo + '@' if userinfo else ''}{netloc}/{quote(settings_dict['NAME'], safe='')}"
    return url + (f"?{urlencode(options)}" if options else "")


_ROLE_SQL = "SELECT rolcanlogin FROM pg_roles WHERE rolname = %s"


def ensure_roles(
    cursor,
    *,
    owner_role: str,
    app_role: str,
    owner_password: str = "",
    app_password: str = "",
) -> bool:
    """Create the owner and app login roles if missing, and grant their rights on schema public.

    Run through the admin login, in the application's database (schema rights are per
    database). Idempotent, and it changes a role only when it must, because roles are shared
    by every database of the server. Returns False, doing nothing, when the login may not
    create roles (production: the roles are made by docker/postgres-init.sql or the DBA).
    """
    from psycopg import sql

    cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
    row = cursor.fetchone()
    if not row or not row[0] or not owner_role or not app_role:
        return False
    for role, password in ((owner_role, owner_password), (app_role, app_password)):
        ident = sql.Identifier(role)
        cursor.execute(_ROLE_SQL, [role])
        existing = cursor.fetchone()
        if existing is None:
            statement = "CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOINHERIT"
            cursor.execute(sql.SQL(statement).format(ident).as_string())
        elif not existing[0]:  # a NOLOGIN role from before the app logged in as itself
            cursor.execute(sql.SQL("ALTER ROLE {} LOGIN").format(ident).as_string())
        if password:
            cursor.execute(
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(ident, sql.Literal(password)).as_string()
            )
    grants = (
        ("GRANT USAGE, CREATE ON SCHEMA public TO {}", owner_role),
        ("GRANT USAGE ON SCHEMA public TO {}", app_role),
    )
    for statement, role in grants:
        cursor.execute(sql.SQL(statement).format(sql.Identifier(role)).as_string())
    return True
