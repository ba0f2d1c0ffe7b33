"""The audit trail's actor: who is recorded on every write a service makes."""

from __future__ import annotations

import pghistory


def audited_by(actor):
    """pghistory context naming ``actor`` (a user or None) on every row the block writes."""
    return pghistory.context(user=getattr(actor, "pk", None))
