"""Row links of the budget pages, built from one ``reverse()`` per page instead of one per row."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.urls import reverse

# A public id no row has: reversed once per page, then replaced by each row's own id, so a table
# of hundreds of budget lines builds its links without one URL resolution per row.
_PLACEHOLDER = uuid.UUID(int=0)


def row_url(name: str, forbund_slug: str) -> Callable[[uuid.UUID], str]:
    """A function from a public id to the URL ``name`` gives for it (one reverse() per page)."""
    prefix, _, suffix = reverse(name, args=[forbund_slug, _PLACEHOLDER]).partition(str(_PLACEHOLDER))
    return lambda public_id: f"{prefix}{public_id}{suffix}"
