"""Kept only for apps.tertial, which still imports ``kronor`` and ``procent`` from here.

Everything formats through apps.core.formatting (templates: ``{% load formatting %}``); delete
this module once nothing imports it.
"""

from apps.core.formatting import format_kronor as kronor
from apps.core.formatting import format_percent as procent

__all__ = ["kronor", "procent"]
