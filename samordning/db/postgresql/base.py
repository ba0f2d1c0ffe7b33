"""PostgreSQL backend that logs in as the RLS-bound application role, or the owner for schema work.

Ordinary work (web, worker, tests) logs in as ``settings.DB_APP_ROLE``: a role that owns no
table and is neither superuser nor BYPASSRLS, so row-level security always applies and no
``RESET ROLE`` can give it more. ``migrate`` and ``flush`` reconnect as ``DB_OWNER_ROLE``
(:func:`apps.tenancy.dbroles.owner_login`); creating and dropping the test databases uses
the admin login when ``DATABASE_URL`` names one (see :mod:`samordning.db.logins`).
"""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.postgresql import base

from samordning.db import logins


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, settings_dict, alias=DEFAULT_DB_ALIAS):
        super().__init__(settings_dict, alias)
        # Which login the next connection opens with: app, owner or admin (samordning.db.logins).
        # The maintenance connection creates and drops databases, which only the admin may.
        self.login = logins.ADMIN if alias == NO_DB_ALIAS else logins.APP

    def get_connection_params(self):
        params = logins.apply_login(super().get_connection_params(), self.settings_dict, self.login)
        # Django turns psycopg's prepared statements off (prepare_threshold None). Only the
        # server-side binding cursors of apps.core.db.prepared_cursor can prepare (Django's own
        # cursors bind on the client and never do), and those prepare on first use. Turn it off
        # with DB_PREPARED_STATEMENTS=False behind a pooler that cannot keep prepared statements.
        if settings.DB_PREPARED_STATEMENTS and params.get("prepare_threshold") is None:
            params["prepare_threshold"] = PREPARE_THRESHOLD
        return params


# psycopg's own default: prepare a statement after five executions (prepared_cursor asks at once).
PREPARE_THRESHOLD = 5
