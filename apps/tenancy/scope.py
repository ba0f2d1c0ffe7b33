"""The tenant scope: which förbund the current code runs for, in Python and in PostgreSQL.

A ``ContextVar`` holds the förbund for the ORM guard (``TenantManager``); the same id is
set with ``set_config(..., is_local => true)`` (``SET LOCAL``) inside the current
transaction so that row-level security sees it and it cannot leak to the next request on
a pooled connection.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db import connection, transaction

if TYPE_CHECKING:
    from .models import Forbund


class TenantScopeError(RuntimeError):
    """A tenant model was queried with no förbund in scope."""


_current: contextvars.ContextVar[Forbund | None] = contextvars.ContextVar("samordning_forbund", default=None)
_disabled: contextvars.ContextVar[bool] = contextvars.ContextVar("samordning_scopes_disabled", default=False)


def current_forbund() -> Forbund | None:
    """The förbund in scope, or None."""
    return _current.get()


def scopes_disabled_now() -> bool:
    """True inside an explicit :func:`scopes_disabled` block."""
    return _disabled.get()


def set_db_tenant(forbund_id: int | None, user_id: int | None = None) -> None:
    """SET LOCAL the ids that the RLS policies read; must run inside a transaction."""
    if not connection.in_atomic_block:
        raise TenantScopeError("The tenant setting must be applied inside a transaction")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('app.forbund_id', %s, true), set_config('app.user_id', %s, true)",
            ["" if forbund_id is None else str(forbund_id), "" if user_id is None else str(user_id)],
        )


def set_db_user(user_id: int | None) -> None:
    """SET LOCAL only the user id (lets a user read their own memberships)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('app.user_id', %s, true)", ["" if user_id is None else str(user_id)]
        )


@contextlib.contextmanager
def activate(forbund: Forbund) -> Iterator[None]:
    """Open the Python-side scope only (the caller owns the transaction and SET LOCAL)."""
    token = _current.set(forbund)
    try:
        yield
    finally:
        _current.reset(token)


@contextlib.contextmanager
def tenant_scope(forbund: Forbund, *, user_id: int | None = None) -> Iterator[None]:
    """Work for one förbund: a transaction with the RLS setting, and the ORM scope.

    For tasks, commands and the demo loader. Requests get the same from TenantMiddleware.
    """
    with transaction.atomic():
        previous = current_forbund()
        set_db_tenant(forbund.pk, user_id)
        try:
            with activate(forbund):
                yield
        finally:
            # Inside an outer transaction, restore the outer scope's setting.
            if connection.in_atomic_block and not connection.needs_rollback:
                set_db_tenant(previous.pk if previous else None, user_id)


@contextlib.contextmanager
def scopes_disabled() -> Iterator[None]:
    """Explicit, greppable bypass of the ORM guard (RLS still applies in the database)."""
    token = _disabled.set(True)
    try:
        yield
    finally:
        _disabled.reset(token)
