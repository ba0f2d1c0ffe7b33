"""The one spelling of a förbund's slug in URLs, shared by the URL converter and the middleware.

Django's ``slug`` converter also accepts upper case; the tenant middleware did not, so
``/f/SAMO/...`` reached a view with no tenant scope open. Both now use this pattern.
"""

from __future__ import annotations

import re

SLUG_PATTERN = r"[-a-z0-9_]+"
SLUG_RE = re.compile(SLUG_PATTERN)


class ForbundSlugConverter:
    """``<forbund:forbund_slug>``: lower-case letters, digits, hyphen and underscore."""

    regex = SLUG_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def is_canonical_slug(value: str) -> bool:
    """True when ``value`` is written the way URLs spell a förbund."""
    return SLUG_RE.fullmatch(value) is not None
