"""Two helpers for the few hot reads that write their own SQL (the budget follow-up).

``prepared_cursor`` runs a query as a server-side prepared statement: PostgreSQL parses and
plans it once per connection and later executions only run it. Django's cursors bind
parameters on the client, and psycopg never prepares those. A web process keeps its
connection between requests (``CONN_MAX_AGE``), so a page's big query is planned once per
connection, not once per request. The plan still reads row-level security's
``current_setting`` when it runs, so a prepared plan is never shared across förbund. Deploy
the app without a transaction-mode pooler in front of PostgreSQL, or with one that keeps
prepared statements (PgBouncer 1.21 or later with ``max_prepared_statements``).

``loaded_instance`` builds the instance that ``Model.from_db`` would build, without
``Model.__init__``. ``__init__`` sets each field through its descriptor and sends the init
signals; for 140 budget lines that is half a millisecond of a 4 ms page read. The instance
is the same: the same ``__dict__``, and ``_state`` loaded from ``db``. Fields it was not given
stay deferred, as in ``from_db``. No model read this way has init signal receivers
(tests/core/test_db.py checks).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Model
from django.db.models.base import ModelState

M = TypeVar("M", bound=Model)


class _PreparingCursor(psycopg.Cursor):
    """A server-side binding cursor whose ``execute`` prepares the statement on first use."""

    def execute(self, query, params=None, *, prepare=True, binary=None):  # type: ignore[override]
        return super().execute(query, params, prepare=prepare, binary=binary)


class _PreparedDebugCursor(CursorDebugWrapper):
    """Logs the statement as written, with its values: psycopg keeps no text of a prepared
    execution for Django's ``last_executed_query`` to read."""

    def execute(self, sql, params=None):
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)


@contextlib.contextmanager
def prepared_cursor(using: str = DEFAULT_DB_ALIAS) -> Iterator[Any]:
    """A Django cursor (logged, counted and wrapped like any other) whose queries are prepared.

    Write the SQL with ``%s`` or ``%(name)s`` placeholders, as for Django's cursors. The values
    are sent apart from the SQL as typed parameters, so a placeholder must stand where a value
    may (not as a table name or inside a literal).
    """
    connection = connections[using]
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = _PreparingCursor(connection.connection)
    cursor = (
        _PreparedDebugCursor(raw, connection) if connection.queries_logged else connection.make_cursor(raw)
    )
    try:
        yield cursor
    finally:
        raw.close()


def loaded_instance(model: type[M], attnames: Iterable[str], values: Iterable[Any], *, db: str) -> M:
    """``model.from_db(db, attnames, values)`` without ``Model.__init__``: the same instance.

    ``attnames`` names the fields' attributes (``budget_id``, not ``budget``). Fields not named
    are deferred.
    """
    instance = model.__new__(model)
    instance.__dict__.update(zip(attnames, values, strict=True))
    state = instance._state = ModelState()
    state.adding = False
    state.db = db
    return instance
