"""Template filters over apps.core.formatting: {% load formatting %}, then ``{{ x|kronor }}``."""

from __future__ import annotations

from django import template

from apps.core import formatting

register = template.Library()

register.filter("tal", formatting.format_number)
register.filter("kronor", formatting.format_kronor)
register.filter("tkr", formatting.format_tkr)
register.filter("procent", formatting.format_percent)
register.filter("datum", formatting.format_date)
register.filter("person", formatting.format_person)


@register.filter
def belopp(value, visning: str = "kr") -> str:
    """Kronor or tkr, as the page's ``visning`` ("kr" or "tkr") says."""
    return formatting.format_amount(value, visning)
