"""Table cells written in Python, for the tables too big to render a template per cell.

At national scale a template lookup and a filter per cell were most of some pages' time; the
rows of those tables are written by one function each (apps.goals.fragments, the tertial and
budget row filters), every value going through ``shown`` as ``{{ value }}`` would print it.
"""

from __future__ import annotations

import html
from typing import Any

from django.utils.formats import localize
from django.utils.functional import Promise


def shown(value: Any) -> str:
    """``value`` as ``{{ value }}`` prints it in an autoescaped template: localized, and escaped
    as Django's ``conditional_escape`` escapes it (``html.escape``, without the lazy-string
    wrapper, which cost more than the escaping), safe strings as they are."""
    value = localize(value)
    if isinstance(value, Promise):
        value = str(value)
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))
