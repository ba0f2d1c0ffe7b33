"""PostgreSQL backend that assumes the RLS-bound application role on every connection.

Ordinary work (web, worker, tests) runs as ``settings.DB_APP_ROLE``: a role that owns no
table and is neither superuser nor BYPASSRLS, so row-level security always applies. Only
schema work (migrate, flush) switches to ``settings.DB_OWNER_ROLE`` through
:func:`apps.tenancy.dbroles.owner_role`.
"""

from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.postgresql import base

from apps.tenancy import dbroles


class DatabaseWrapper(base.DatabaseWrapper):
    def _configure_role(self, connection):
        # The maintenance connection (CREATE/DROP DATABASE for tests) keeps the login role.
        if self.alias == NO_DB_ALIAS:
            return False
        role = self.settings_dict["OPTIONS"].get("assume_role") or dbroles.role_for_mode()
        if not role:
            return False
        with connection.cursor() as cursor:
            cursor.execute(self.ops.compose_sql("SET ROLE %s", [role]))
        return True
