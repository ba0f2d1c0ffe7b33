"""Writes of member organisations: validated, in a transaction, audited with the actor."""

from __future__ import annotations

import pghistory
from django.db import transaction

from apps.tenancy.models import Forbund

from .models import Medlem


def medlem_upsert(*, forbund: Forbund, actor, name: str, **fields) -> Medlem:
    """Create the member with this name in the förbund, or update its fields."""
    with transaction.atomic(), pghistory.context(user=getattr(actor, "pk", None)):
        medlem = Medlem.objects.filter(forbund=forbund, name=name).first() or Medlem(
            forbund=forbund, name=name
        )
        for key, value in fields.items():
            setattr(medlem, key, value)
        medlem.full_clean()
        medlem.save()
    return medlem
