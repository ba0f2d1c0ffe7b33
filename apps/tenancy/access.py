"""One way to reach a tenant object from a view: outsider 404, insider without the ability 403.

The page's own guard (ability and methods) is apps.core.views.tenant_view.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from .models import TenantModel

M = TypeVar("M", bound=TenantModel)


def get_tenant_object(request, queryset: models.QuerySet[M], *, public_id, ability: str | None = None) -> M:
    """The object with ``public_id`` in the request's förbund, else 404; 403 without ability."""
    if request.forbund is None:
        raise Http404
    try:
        obj = queryset.filter(forbund=request.forbund).get(public_id=public_id)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if ability is not None and not request.abilities.get(ability, False):
        raise PermissionDenied
    return obj
