"""The one place the tertial report reads participant statistics: an adapter over apps.followup.

The report never counts participants itself. Participant data (pseudonymous participants,
stegförflyttning, small-cell protection) belongs to apps.followup; until that app is
installed every function here answers "no data" and the report says so.
"""

from __future__ import annotations

from django.apps import apps

from apps.tenancy.models import Forbund


def available() -> bool:
    """True when participant follow-up exists in this installation."""
    return apps.is_installed("apps.followup")


def insats_figures(
    *, forbund: Forbund, year: int, until_month: int, insats_ids: list[int]
) -> dict[int, dict]:
    """Per insats id: participants by gender and step movement for January–``until_month`` (JSON-ready)."""
    if not available():
        return {}
    return {}


def overall(*, forbund: Forbund, year: int, until_month: int) -> dict | None:
    """The förbund's participants for January–``until_month`` with chart data, or None without data."""
    if not available():
        return None
    return None
