"""Who may reach a plan version, in one place: drafts are a 404 for readers without plan_draft_view.

A version that is not fastställd (utkast, på remiss) exists only for those who write or comment
on plans; the revisor reads adopted versions. Views of plans, of their PDFs (apps.reports) and
anything else showing a version go through these functions, so the rule cannot drift.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.tenancy.access import get_tenant_object

from . import selectors
from .models import PlanSection, PlanVersion

DRAFT_ABILITY = "plan_draft_view"


def version_visible(abilities: dict, version: PlanVersion) -> bool:
    """Whether a reader with ``abilities`` may see ``version`` at all (drafts need plan_draft_view)."""
    return version.is_frozen or abilities.get(DRAFT_ABILITY, False)


def require_visible(request, version: PlanVersion) -> None:
    """404 for a version this reader may not see."""
    if not version_visible(request.abilities, version):
        raise Http404


def _require(request, ability: str) -> None:
    if not request.abilities.get(ability, False):
        raise PermissionDenied


def get_version(request, version_id, *, ability: str = "plan_view") -> PlanVersion:
    """The version: 404 outside the förbund or for a hidden draft, then 403 without ``ability``."""
    version = get_tenant_object(
        request, selectors.version_queryset(forbund=request.forbund), public_id=version_id
    )
    require_visible(request, version)
    _require(request, ability)
    return version


def get_section(request, section_id, *, ability: str) -> PlanSection:
    """A section of a version this reader may see, then 403 without ``ability``."""
    section = get_tenant_object(
        request, selectors.section_queryset(forbund=request.forbund), public_id=section_id
    )
    require_visible(request, section.version)
    _require(request, ability)
    return section


def get_comment(request, comment_id, *, ability: str):
    """A remiss comment on a version this reader may see, then 403 without ``ability``."""
    comment = get_tenant_object(
        request, selectors.comment_queryset(forbund=request.forbund), public_id=comment_id
    )
    require_visible(request, comment.section.version)
    _require(request, ability)
    return comment
