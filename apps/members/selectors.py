"""Reads of member organisations."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.tenancy.models import Forbund

from .models import Medlem


def medlem_list(*, forbund: Forbund) -> QuerySet[Medlem]:
    """The förbund's members in their printed order."""
    return Medlem.objects.filter(forbund=forbund).order_by("position", "name")
