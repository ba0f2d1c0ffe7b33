"""Links of table rows, built from one ``reverse()`` per page instead of one per row."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.urls import reverse

# A public id no row has: a URL is reversed once with it, then each row's own id takes its place,
# so a table of hundreds of rows builds its links without one URL resolution per row.
PLACEHOLDER = uuid.UUID(int=0)


def row_url(name: str, *args) -> Callable[[uuid.UUID], str]:
    """A function from a row's public id to the URL ``name`` gives for ``(*args, public_id)``."""
    prefix, _, suffix = reverse(name, args=[*args, PLACEHOLDER]).partition(str(PLACEHOLDER))
    return lambda public_id: f"{prefix}{public_id}{suffix}"
