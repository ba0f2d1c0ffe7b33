"""What each role may do: computed here once, used by views and templates alike."""

from __future__ import annotations

from .models import Role

_ALL = frozenset(Role)
_PLAN_READERS = frozenset({Role.FORBUNDSCHEF, Role.KANSLI, Role.STYRELSE, Role.REVISOR})
_EDITORS = frozenset({Role.FORBUNDSCHEF, Role.KANSLI})

# ability -> roles that have it
ABILITY_ROLES: dict[str, frozenset[str]] = {
    "overview_view": _ALL,
    "members_view": _PLAN_READERS,
    "members_edit": _EDITORS,
    "plan_view": _PLAN_READERS,
    "plan_edit": _EDITORS,
    # Drafts (utkast, på remiss) and remiss comments: everyone who reads plans except the revisor.
    "plan_draft_view": frozenset({Role.FORBUNDSCHEF, Role.KANSLI, Role.STYRELSE}),
    "plan_comment": frozenset({Role.FORBUNDSCHEF, Role.KANSLI, Role.STYRELSE}),
    "participants_log": frozenset({Role.PLATTFORM}),
    # Follow-up statistics: plattformspersonal read only their own insatser's (the views filter).
    "followup_view": _ALL,
    # Category lists, step scales, counts and surveys of every insats; the national export.
    "followup_edit": _EDITORS,
    "reports_approve": frozenset({Role.STYRELSE}),
    # Tertial reports: the revisor reads approved versions only (report_draft_view decides).
    "report_view": _PLAN_READERS,
    "report_draft_view": frozenset({Role.FORBUNDSCHEF, Role.KANSLI, Role.STYRELSE}),
    "report_edit": _EDITORS,
    "report_comment": frozenset({Role.STYRELSE}),
    "audit_view": frozenset({Role.FORBUNDSCHEF, Role.REVISOR}),
}


def abilities_for(role: str | None) -> dict[str, bool]:
    """Every ability name mapped to whether ``role`` has it (all False for no role)."""
    return {name: role in roles for name, roles in ABILITY_ROLES.items()}
