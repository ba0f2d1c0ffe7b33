"""The default manager of tenant models: no förbund in scope, no query."""

from __future__ import annotations

from django.db import models

from . import scope


class TenantManager(models.Manager):
    """Raises TenantScopeError outside a scope; inside one, limits rows to that förbund.

    The limit is the ORM's half of defence in depth: row-level security in PostgreSQL is
    the other half, and callers still filter on ``forbund`` explicitly.
    """

    def get_queryset(self) -> models.QuerySet:
        qs = super().get_queryset()
        if scope.scopes_disabled_now():
            return qs
        forbund = scope.current_forbund()
        if forbund is None:
            raise scope.TenantScopeError(
                f"{self.model.__name__} queried with no förbund in scope; use tenant_scope() "
                "or scopes_disabled()"
            )
        return qs.filter(forbund_id=forbund.pk)
