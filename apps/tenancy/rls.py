"""PostgreSQL row-level security for every table that has a ``forbund_id`` column.

Applied after every migrate, so a new tenant table (and its audit-history twin) is covered
without anyone remembering to. The ``tenancy`` system check verifies it independently.
"""

from __future__ import annotations

from django.conf import settings
from psycopg import sql

TENANT_COLUMN = "forbund_id"
POLICY = "tenant_isolation"
SELF_POLICY = "member_reads_own"
# NULLIF: once set with SET LOCAL, the setting reads '' (not NULL) after the transaction.
TENANT_EXPR = "forbund_id = (SELECT NULLIF(current_setting('app.forbund_id', true), '')::bigint)"
# A user must see their own memberships (in every förbund) to log in and pick a förbund.
SELF_EXPR = "user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')::bigint)"
MEMBERSHIP_TABLE = "tenancy_membership"
# pghistory's context rows (who, which URL) carry the förbund they were written in; rows written
# outside any förbund (platform administration) are visible only outside one.
CONTEXT_TABLE = "pghistory_context"
CONTEXT_EXPR = (
    "forbund_id IS NOT DISTINCT FROM (SELECT NULLIF(current_setting('app.forbund_id', true), '')::bigint)"
)

_TENANT_TABLES_SQL = """
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = %s AND NOT a.attisdropped
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
ORDER BY c.relname
"""


def tenant_tables(connection) -> list[tuple[str, bool, bool]]:
    """Every table in public with a forbund_id column, with its RLS enabled/forced flags."""
    with connection.cursor() as cursor:
        cursor.execute(_TENANT_TABLES_SQL, [TENANT_COLUMN])
        return list(cursor.fetchall())


def apply_rls(connection) -> list[str]:
    """Enable and force RLS with the tenant policy on every tenant table (idempotent)."""
    tables = [name for name, _, _ in tenant_tables(connection)]
    with connection.cursor() as cursor:
        for table in tables:
            ident = sql.Identifier(table)
            expr = CONTEXT_EXPR if table == CONTEXT_TABLE else TENANT_EXPR
            for statement in (
                "ALTER TABLE {t} ENABLE ROW LEVEL SECURITY",
                "ALTER TABLE {t} FORCE ROW LEVEL SECURITY",
                "DROP POLICY IF EXISTS {p} ON {t}",
                "CREATE POLICY {p} ON {t} USING (" + expr + ") WITH CHECK (" + expr + ")",
            ):
                cursor.execute(sql.SQL(statement).format(t=ident, p=sql.Identifier(POLICY)).as_string())
            if table == MEMBERSHIP_TABLE:
                cursor.execute(
                    sql.SQL("DROP POLICY IF EXISTS {p} ON {t}")
                    .format(t=ident, p=sql.Identifier(SELF_POLICY))
                    .as_string()
                )
                cursor.execute(
                    sql.SQL("CREATE POLICY {p} ON {t} FOR SELECT USING (" + SELF_EXPR + ")")
                    .format(t=ident, p=sql.Identifier(SELF_POLICY))
                    .as_string()
                )
    return tables


def rls_problems(connection) -> list[str]:
    """What is wrong with tenant isolation in this database, in plain sentences."""
    problems = [
        f"Tabellen {name} har forbund_id men row-level security är inte "
        + ("påslagen" if not enabled else "tvingad (FORCE)")
        for name, enabled, forced in tenant_tables(connection)
        if not (enabled and forced)
    ]
    app = settings.DB_APP_ROLE
    with connection.cursor() as cursor:
        if app:
            cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [app])
            row = cursor.fetchone()
        else:
            cursor.execute(
                "SELECT rolsuper, rolbypassrls, rolname FROM pg_roles WHERE rolname = current_user"
            )
            row = cursor.fetchone()
            app = row[2] if row else ""
        if row is None:
            problems.append(f"Applikationsrollen {app} finns inte")
            return problems
        if row[0]:
            problems.append(f"Applikationsrollen {app} är superuser")
        if row[1]:
            problems.append(f"Applikationsrollen {app} har BYPASSRLS")
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s ORDER BY 1",
            [app],
        )
        owned = [r[0] for r in cursor.fetchall()]
        if owned:
            problems.append(f"Applikationsrollen {app} äger tabeller: {', '.join(owned)}")
    return problems
