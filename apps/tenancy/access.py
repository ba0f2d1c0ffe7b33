"""One way to reach tenant objects and abilities from a view: outsider 404, insider 403."""

from __future__ import annotations

import functools
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from .models import TenantModel

M = TypeVar("M", bound=TenantModel)


def require_ability(ability: str):
    """View decorator: members of the förbund without ``ability`` get 403."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.forbund is None:
                raise Http404
            if not request.abilities.get(ability, False):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


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
