"""Template filters of the tertial report: status symbol and word, section comments, trends."""

from __future__ import annotations

from django import template

from ..models import GOAL_STATUS_SYMBOLS, GoalStatus

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    """ "Uppnått"; "Ingen status" for blank."""
    return GoalStatus(status).label if status in GoalStatus.values else "Ingen status"


@register.filter
def status_symbol(status: str) -> str:
    """The status's shape (✓ ◐ ✗ ?), "–" for blank; shown beside the word, never alone."""
    return GOAL_STATUS_SYMBOLS.get(status, "–")


@register.filter
def for_section(comments: dict, key: str) -> list:
    """The comments of one section from ``selectors.comments_by_section``."""
    return comments.get(key, [])
