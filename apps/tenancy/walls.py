"""Database walls beside row-level security, applied after every migrate and checked by `tenancy`.

1. Foreign keys between tenant tables stay inside one förbund: every single-column foreign
   key from a table with ``forbund_id`` to another one gets a composite twin
   ``(forbund_id, x_id) REFERENCES target (forbund_id, id)``, over a ``UNIQUE (forbund_id, id)``
   on the target. PostgreSQL then refuses a row that points at another förbund's row, whatever
   the application does; and the keys carry the distribution column a sharded PostgreSQL
   (Citus, by ``forbund_id``) needs.
2. The audit trail is append-only for the app role: it may insert history (the pghistory
   triggers run as the writer) but not change or delete it. ``pghistory_context`` (who, which
   URL) carries the förbund it was written in, is under row-level security like a tenant
   table, and is written only by ``_pgh_attach_context()``, which runs as the owner.
3. Deleting history for retention goes through one function, ``samordning_history_purge``,
   open only for the models registered with :func:`register_history_purge`, only for rows
   of the förbund in scope, and only for objects that are themselves deleted already.
4. Every write to a tenant table gives the förbund a new data version (``DataVersion``):
   statement-level triggers, so that content cached under the version (``datacache``) is
   never read after a change, whichever path made it.

Found from the catalog each time, so a new app's tables are covered without anyone
remembering to (see docs/adr/0010-database-walls.md).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import connection as default_connection
from psycopg import sql

from . import rls
from .rls import CONTEXT_TABLE, TENANT_COLUMN

FK_SUFFIX = "twfk"
UNIQUE_SUFFIX = "twuq"
PURGE_FUNCTION = "samordning_history_purge"
ATTACH_FUNCTION = "_pgh_attach_context"
# In the body of our _pgh_attach_context(), so the check can tell it from pghistory's own.
ATTACH_MARKER = "samordning: one context row per förbund"


def _q(statement: str, **idents: str) -> str:
    return sql.SQL(statement).format(**{k: sql.Identifier(v) for k, v in idents.items()}).as_string()


def _name(base: str, suffix: str) -> str:
    """A constraint name within PostgreSQL's 63 bytes, stable for the same base."""
    name = f"{base}_{suffix}"
    if len(name.encode()) <= 63:
        return name
    digest = hashlib.sha256(base.encode()).hexdigest()[:8]
    return f"{base.encode()[: 63 - len(suffix) - 10].decode(errors='ignore')}_{digest}_{suffix}"


# --- 1. Foreign keys inside one förbund -----------------------------------------------------

_TENANT_OIDS = """
SELECT c.oid FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'forbund_id' AND NOT a.attisdropped
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
"""

# Single-column foreign keys between two tenant tables (Django's own constraints).
_TENANT_FKS_SQL = f"""
WITH tenant AS ({_TENANT_OIDS})
SELECT src.relname, sa.attname, dst.relname, da.attname
FROM pg_constraint con
JOIN pg_class src ON src.oid = con.conrelid
JOIN pg_class dst ON dst.oid = con.confrelid
JOIN pg_attribute sa ON sa.attrelid = con.conrelid AND sa.attnum = con.conkey[1]
JOIN pg_attribute da ON da.attrelid = con.confrelid AND da.attnum = con.confkey[1]
WHERE con.contype = 'f' AND cardinality(con.conkey) = 1 AND sa.attname <> 'forbund_id'
  AND con.conrelid IN (SELECT oid FROM tenant) AND con.confrelid IN (SELECT oid FROM tenant)
ORDER BY 1, 2
"""  # noqa: S608 (constant catalog query)

# Foreign keys into a tenant table from a table without forbund_id: nothing can wall them.
_UNWALLABLE_FKS_SQL = f"""
WITH tenant AS ({_TENANT_OIDS})
SELECT con.conrelid::regclass::text, con.confrelid::regclass::text
FROM pg_constraint con JOIN pg_class src ON src.oid = con.conrelid
JOIN pg_namespace n ON n.oid = src.relnamespace AND n.nspname = 'public'
WHERE con.contype = 'f' AND con.confrelid IN (SELECT oid FROM tenant)
  AND con.conrelid NOT IN (SELECT oid FROM tenant)
ORDER BY 1, 2
"""  # noqa: S608 (constant catalog query)


def _columns(array: str, rel: str) -> str:
    return (
        f"ARRAY(SELECT a.attname::text FROM unnest({array}) WITH ORDINALITY k(num, i)"  # noqa: S608
        f" JOIN pg_attribute a ON a.attrelid = {rel} AND a.attnum = k.num ORDER BY k.i)"
    )


_CONSTRAINTS_SQL = f"""
SELECT con.conname, con.contype, src.relname, {_columns("con.conkey", "con.conrelid")},
       dst.relname, {_columns("con.confkey", "con.confrelid")}
FROM pg_constraint con
JOIN pg_class src ON src.oid = con.conrelid
JOIN pg_namespace n ON n.oid = src.relnamespace AND n.nspname = 'public'
LEFT JOIN pg_class dst ON dst.oid = con.confrelid
WHERE con.contype IN ('f', 'u', 'p')
"""  # noqa: S608 (constant catalog query)


@dataclass(frozen=True)
class ForeignKey:
    table: str
    column: str
    target: str
    target_column: str

    @property
    def wall_name(self) -> str:
        return _name(f"{self.table}_{self.column}", FK_SUFFIX)


def tenant_foreign_keys(connection) -> list[ForeignKey]:
    """Every single-column foreign key from one tenant table to another."""
    with connection.cursor() as cursor:
        cursor.execute(_TENANT_FKS_SQL)
        return [ForeignKey(*row) for row in cursor.fetchall()]


def _existing(connection) -> tuple[dict[ForeignKey, str], dict[tuple[str, str], str], set[tuple[str, str]]]:
    """Our composite keys, our unique keys, and every (table, column) with a UNIQUE (forbund_id, column)."""
    walls: dict[ForeignKey, str] = {}
    our_uniques: dict[tuple[str, str], str] = {}
    unique_targets: set[tuple[str, str]] = set()
    with connection.cursor() as cursor:
        cursor.execute(_CONSTRAINTS_SQL)
        rows = cursor.fetchall()
    for name, kind, table, columns, target, target_columns in rows:
        if kind == "f" and name.endswith(FK_SUFFIX) and len(columns) == 2 and columns[0] == TENANT_COLUMN:
            walls[ForeignKey(table, columns[1], target, target_columns[1])] = name
        elif kind in ("u", "p") and len(columns) == 2 and TENANT_COLUMN in columns:
            other = columns[1] if columns[0] == TENANT_COLUMN else columns[0]
            unique_targets.add((table, other))
            if name.endswith(UNIQUE_SUFFIX):
                our_uniques[(table, other)] = name
    return walls, our_uniques, unique_targets


def drop_fk_walls(connection) -> None:
    """Remove every composite key this module made (before migrations change the schema)."""
    walls, our_uniques, _ = _existing(connection)
    with connection.cursor() as cursor:
        for fk, name in walls.items():
            cursor.execute(_q("ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {c}", t=fk.table, c=name))
        for (table, _column), name in our_uniques.items():
            cursor.execute(_q("ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {c}", t=table, c=name))


def apply_fk_walls(connection) -> list[ForeignKey]:
    """Give every tenant foreign key its composite twin, and drop walls whose key is gone."""
    wanted = tenant_foreign_keys(connection)
    walls, our_uniques, unique_targets = _existing(connection)
    with connection.cursor() as cursor:
        for fk, name in walls.items():
            if fk not in wanted:
                cursor.execute(_q("ALTER TABLE {t} DROP CONSTRAINT {c}", t=fk.table, c=name))
        for fk in wanted:
            if fk in walls:
                continue
            if (fk.target, fk.target_column) not in unique_targets:
                unique = _name(f"{fk.target}_forbund_{fk.target_column}", UNIQUE_SUFFIX)
                cursor.execute(
                    _q("ALTER TABLE {t} ADD CONSTRAINT {c} UNIQUE (forbund_id, {col})",
                       t=fk.target, c=unique, col=fk.target_column)
                )  # fmt: skip
                unique_targets.add((fk.target, fk.target_column))
                our_uniques[(fk.target, fk.target_column)] = unique
            # Deferred like Django's own keys, so deletions and fixtures keep their order freedom.
            cursor.execute(
                _q("ALTER TABLE {t} ADD CONSTRAINT {c} FOREIGN KEY (forbund_id, {col}) "
                   "REFERENCES {target} (forbund_id, {tcol}) DEFERRABLE INITIALLY DEFERRED",
                   t=fk.table, c=fk.wall_name, col=fk.column, target=fk.target, tcol=fk.target_column)
            )  # fmt: skip
        needed = {(fk.target, fk.target_column) for fk in wanted}
        for key, name in our_uniques.items():
            if key not in needed:
                cursor.execute(_q("ALTER TABLE {t} DROP CONSTRAINT {c}", t=key[0], c=name))
    return wanted


def fk_wall_problems(connection) -> list[str]:
    """Tenant foreign keys without their wall, and keys into tenant tables that cannot have one."""
    walls, _, _ = _existing(connection)
    problems = [
        f"Främmande nyckeln {fk.table}.{fk.column} → {fk.target} saknar förbundsväggen "
        f"(forbund_id, {fk.column}) → {fk.target} (forbund_id, {fk.target_column})"
        for fk in tenant_foreign_keys(connection)
        if fk not in walls
    ]
    with connection.cursor() as cursor:
        cursor.execute(_UNWALLABLE_FKS_SQL)
        problems += [
            f"Tabellen {table} pekar på förbundstabellen {target} men har ingen forbund_id"
            for table, target in cursor.fetchall()
        ]
    return problems


def model_fk_problems(models=None) -> list[str]:
    """Relations between tenant models that the database cannot wall (no constraint, no förbund).

    pghistory's event models are left out on purpose: their keys have no constraint because
    history outlives the rows it describes, and each event is a copy of a walled row.
    """
    import pghistory.models
    from django.apps import apps

    def tenant(model) -> bool:
        return any(f.column == TENANT_COLUMN for f in model._meta.concrete_fields)

    problems = []
    for model in apps.get_models(include_auto_created=True) if models is None else models:
        meta = model._meta
        if not meta.managed or meta.proxy or issubclass(model, pghistory.models.Event):
            continue
        for field in meta.concrete_fields:
            target = field.related_model if field.many_to_one or field.one_to_one else None
            if target is None or field.column == TENANT_COLUMN or not tenant(target):
                continue
            if not tenant(model):
                problems.append(f"{meta.label}.{field.name} pekar på förbundsmodellen {target._meta.label} "
                                f"men {meta.label} har inget förbund")  # fmt: skip
            elif not field.db_constraint:
                problems.append(f"{meta.label}.{field.name} → {target._meta.label} har db_constraint=False "
                                "och kan inte få någon förbundsvägg")  # fmt: skip
    return problems


# --- 2. Append-only history and a förbund on every context row ------------------------------

_EVENT_TABLES_SQL = """
SELECT c.relname FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
WHERE c.relkind IN ('r', 'p')
  AND (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND NOT a.attisdropped
       AND a.attname IN ('pgh_id', 'pgh_created_at', 'pgh_label')) = 3
ORDER BY 1
"""


def event_tables(connection) -> list[str]:
    """pghistory's event tables, found by their columns."""
    with connection.cursor() as cursor:
        cursor.execute(_EVENT_TABLES_SQL)
        return [row[0] for row in cursor.fetchall()]


# pghistory's function, with three changes: the context row carries the förbund in scope (and
# a context id per förbund, so one request that writes in two förbund gets one row in each);
# an existing row is updated only in the transaction that made it, so old contexts cannot be
# rewritten; and it runs as its owner, so the app role needs no write right on the table.
_ATTACH_SQL = f"""
CREATE OR REPLACE FUNCTION public._pgh_attach_context() RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
-- {ATTACH_MARKER}
DECLARE
    _pgh_context_id uuid;
    _pgh_context_metadata jsonb;
    _forbund_id bigint := NULLIF(current_setting('app.forbund_id', true), '')::bigint;
BEGIN
    BEGIN
        SELECT INTO _pgh_context_id current_setting('pghistory.context_id');
        SELECT INTO _pgh_context_metadata current_setting('pghistory.context_metadata');
        EXCEPTION WHEN OTHERS THEN
    END;
    IF _pgh_context_id IS NULL OR _pgh_context_metadata IS NULL THEN
        RETURN NULL;
    END IF;
    IF _forbund_id IS NOT NULL THEN
        _pgh_context_id := md5(_pgh_context_id::text || '/' || _forbund_id::text)::uuid;
    END IF;
    INSERT INTO public.pghistory_context (id, metadata, created_at, updated_at, forbund_id)
        VALUES (_pgh_context_id, _pgh_context_metadata, now(), now(), _forbund_id)
        ON CONFLICT (id) DO UPDATE
            SET metadata = EXCLUDED.metadata, updated_at = EXCLUDED.updated_at
            WHERE pghistory_context.metadata IS DISTINCT FROM EXCLUDED.metadata
              AND pghistory_context.created_at = now();
    RETURN _pgh_context_id;
END;
$$
"""  # noqa: S608 (constant function body)

# Once, when the column is added: give existing context rows the förbund of their events. The
# event tables are under forced RLS, so this looks at one förbund at a time.
_BACKFILL_SQL = """
DO $$
DECLARE f bigint; t text;
BEGIN
    FOR f IN SELECT id FROM public.tenancy_forbund LOOP
        PERFORM set_config('app.forbund_id', f::text, true);
        FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relkind = 'r'
                   AND EXISTS (SELECT 1 FROM pg_attribute a
                               WHERE a.attrelid = c.oid AND a.attname = 'forbund_id')
                   AND EXISTS (SELECT 1 FROM pg_attribute a
                               WHERE a.attrelid = c.oid AND a.attname = 'pgh_context_id')
        LOOP
            EXECUTE format('UPDATE public.pghistory_context SET forbund_id = $1 WHERE forbund_id IS NULL '
                           'AND id IN (SELECT pgh_context_id FROM public.%I)', t) USING f;
        END LOOP;
    END LOOP;
    PERFORM set_config('app.forbund_id', '', true);
END $$
"""


def install_context_forbund(connection) -> None:
    """Give pghistory_context its forbund_id (once) and our _pgh_attach_context()."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"public.{CONTEXT_TABLE}"])
        if cursor.fetchone()[0] is None:
            return  # pghistory is not migrated (yet)
        cursor.execute(
            "SELECT 1 FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s AND NOT attisdropped",
            [f"public.{CONTEXT_TABLE}", TENANT_COLUMN],
        )
        if cursor.fetchone() is None:
            cursor.execute(_q("ALTER TABLE {t} ADD COLUMN forbund_id bigint", t=CONTEXT_TABLE))
            cursor.execute(_BACKFILL_SQL)
        cursor.execute(_ATTACH_SQL)


def make_history_append_only(connection) -> list[str]:
    """Take every right but SELECT and INSERT on history from the app role; on contexts, all but SELECT."""
    app = settings.DB_APP_ROLE
    tables = event_tables(connection)
    if not app:
        return tables
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(_q("REVOKE UPDATE, DELETE, TRUNCATE ON {t} FROM {app}", t=table, app=app))
        cursor.execute(
            _q("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {t} FROM {app}", t=CONTEXT_TABLE, app=app)
        )
    return tables


_PRIVILEGE_SQL = "SELECT has_table_privilege(%s, %s, %s)"


def audit_problems(connection) -> list[str]:
    """Ways the app role could rewrite or erase the audit trail, or read another förbund's contexts."""
    app = settings.DB_APP_ROLE
    problems = []
    with connection.cursor() as cursor:
        if app:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [app])
            if cursor.fetchone() is None:
                return [f"Applikationsrollen {app} finns inte"]
            checks = [(table, ("UPDATE", "DELETE", "TRUNCATE")) for table in event_tables(connection)]
            checks.append((CONTEXT_TABLE, ("INSERT", "UPDATE", "DELETE", "TRUNCATE")))
            for table, privileges in checks:
                for privilege in privileges:
                    cursor.execute(_PRIVILEGE_SQL, [app, f"public.{table}", privilege])
                    if cursor.fetchone()[0]:
                        problems.append(
                            f"Applikationsrollen {app} har {privilege} på historiktabellen {table}"
                        )
        cursor.execute(
            "SELECT p.prosecdef, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = 'public' AND p.proname = %s",
            [ATTACH_FUNCTION],
        )
        row = cursor.fetchone()
        if row is None or not row[0] or ATTACH_MARKER not in row[1]:
            problems.append(
                f"{ATTACH_FUNCTION}() är inte Samordnings version: kontextrader får inget förbund"
            )
    return problems


# --- 3. The one way to delete history ----------------------------------------------------------

# event table -> (tracked table, its primary key column), from register_history_purge().
_purgeable: dict[str, tuple[str, str]] = {}


def register_history_purge(model) -> None:
    """Let :func:`history_purge` delete the history of ``model``'s rows once they are deleted.

    For data that must not outlive a retention period (participants). Call it from the owning
    app's ``AppConfig.ready()``; the database learns of it at the next migrate.
    """
    import pghistory.models
    from django.apps import apps

    events = [
        m for m in apps.get_models() if issubclass(m, pghistory.models.Event) and m.pgh_tracked_model is model
    ]
    if not events:
        raise ValueError(f"{model._meta.label} has no pghistory event model")
    for event in events:
        _purgeable[event._meta.db_table] = (model._meta.db_table, model._meta.pk.column)


def history_purgeable() -> dict[str, tuple[str, str]]:
    """The event tables whose history may be purged, with their tracked table and key."""
    return dict(_purgeable)


_PURGE_SQL = """
CREATE OR REPLACE FUNCTION public.{function}(event_table text, object_ids bigint[]) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    _forbund_id bigint := NULLIF(current_setting('app.forbund_id', true), '')::bigint;
    _deleted bigint := 0;
BEGIN
    IF _forbund_id IS NULL THEN
        RAISE EXCEPTION 'history purge needs app.forbund_id';
    END IF;
    {branches}
    RAISE EXCEPTION 'history of % may not be purged', event_table;
END;
$$
"""

# Only the förbund in scope (the owner is under forced RLS too), only the objects named, and
# only once the object itself is gone: the history of a row that still exists stays.
_PURGE_BRANCH = """
    IF event_table = {event_literal} THEN
        DELETE FROM public.{event} e
        WHERE e.forbund_id = _forbund_id AND e.pgh_obj_id = ANY(object_ids)
          AND NOT EXISTS (SELECT 1 FROM public.{tracked} t WHERE t.{pk} = e.pgh_obj_id);
        GET DIAGNOSTICS _deleted = ROW_COUNT;
        RETURN _deleted;
    END IF;"""


def install_history_purge(connection, purgeable: dict[str, tuple[str, str]] | None = None) -> None:
    """(Re)create the purge function for the registered tables; as the owner, after migrate."""
    purgeable = history_purgeable() if purgeable is None else purgeable
    existing = set(event_tables(connection))
    branches = "".join(
        sql.SQL(_PURGE_BRANCH)
        .format(
            event_literal=sql.Literal(event),
            event=sql.Identifier(event),
            tracked=sql.Identifier(tracked),
            pk=sql.Identifier(pk),
        )
        .as_string()
        for event, (tracked, pk) in sorted(purgeable.items())
        if event in existing
    )
    statement = _PURGE_SQL.replace("{function}", sql.Identifier(PURGE_FUNCTION).as_string())
    with connection.cursor() as cursor:
        cursor.execute(statement.replace("{branches}", branches))
        cursor.execute(_q("REVOKE ALL ON FUNCTION {f}(text, bigint[]) FROM PUBLIC", f=PURGE_FUNCTION))
        if settings.DB_APP_ROLE:
            cursor.execute(
                _q("GRANT EXECUTE ON FUNCTION {f}(text, bigint[]) TO {app}",
                   f=PURGE_FUNCTION, app=settings.DB_APP_ROLE)
            )  # fmt: skip


def history_purge(*, model, object_ids: list[int]) -> int:
    """Delete the history of these deleted rows of ``model`` in the scoped förbund; how many went.

    Must run inside ``tenant_scope(forbund)``, after the rows themselves are deleted; the
    database refuses models not registered with :func:`register_history_purge` and a call
    with no förbund in scope, and keeps the history of any row that still exists.
    """
    total = 0
    for event, (tracked, _pk) in history_purgeable().items():
        if tracked != model._meta.db_table:
            continue
        with default_connection.cursor() as cursor:
            cursor.execute(_q("SELECT {f}(%s, %s)", f=PURGE_FUNCTION), [event, list(object_ids)])
            total += cursor.fetchone()[0]
    return total


# --- 4. The förbund's data version --------------------------------------------------------------

VERSION_TABLE = "tenancy_dataversion"
VERSION_FUNCTION = "tenancy_data_changed"  # migration tenancy 0003
VERSION_TRIGGER = "tenancy_version"
_VERSION_OPS = {
    "ins": "AFTER INSERT ON {t} REFERENCING NEW TABLE AS changed",
    "upd": "AFTER UPDATE ON {t} REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed",
    "del": "AFTER DELETE ON {t} REFERENCING OLD TABLE AS changed",
    "trunc": "AFTER TRUNCATE ON {t}",
}


def data_version_tables(connection) -> list[str]:
    """Every tenant table whose writes change the förbund's data version: all of them but the
    version table itself and the audit trail (written together with the rows it records)."""
    skipped = {VERSION_TABLE, CONTEXT_TABLE, *event_tables(connection)}
    return [name for name, _, _ in rls.tenant_tables(connection) if name not in skipped]


def install_data_version_triggers(connection) -> list[str]:
    """Put the four statement-level version triggers on every data table (idempotent)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regproc(%s)", [f"public.{VERSION_FUNCTION}"])
        if cursor.fetchone()[0] is None:
            return []  # tenancy's migration 0003 is not applied (yet)
        tables = data_version_tables(connection)
        for table in tables:
            for op, when in _VERSION_OPS.items():
                cursor.execute(
                    sql.SQL(
                        "CREATE OR REPLACE TRIGGER {n} " + when + " FOR EACH STATEMENT EXECUTE FUNCTION {f}()"
                    )
                    .format(
                        n=sql.Identifier(f"{VERSION_TRIGGER}_{op}"),
                        t=sql.Identifier(table),
                        f=sql.Identifier(VERSION_FUNCTION),
                    )
                    .as_string()
                )
    return tables


_VERSION_TRIGGERS_SQL = """
SELECT c.relname, count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE t.tgname LIKE %s AND NOT t.tgisinternal GROUP BY c.relname
"""


def data_version_problems(connection) -> list[str]:
    """Tables whose writes would not change the förbund's data version, in plain sentences."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_TRIGGERS_SQL, [f"{VERSION_TRIGGER}\\_%"])
        found = dict(cursor.fetchall())
    return [
        f"Tabellen {table} saknar triggrarna som byter förbundets dataversion vid skrivning"
        for table in data_version_tables(connection)
        if found.get(table, 0) != len(_VERSION_OPS)
    ]
