"""Reads of förbund and memberships."""

from __future__ import annotations

from django.db.models import QuerySet

from . import scope
from .models import Forbund, Invitation, Membership


def membership_for_user(*, user_id: int, slug: str) -> Membership | None:
    """The user's membership in the active förbund with this slug, förbund joined, or None.

    Runs before any tenant scope is open: the ORM guard is bypassed explicitly and the
    ``member_reads_own`` RLS policy (app.user_id) limits the rows to the user's own.
    """
    with scope.scopes_disabled():
        return (
            Membership.objects.select_related("forbund")
            .filter(user_id=user_id, forbund__slug=slug, forbund__is_active=True)
            .first()
        )


def memberships_of_user(*, user_id: int) -> list[Membership]:
    """All of a user's memberships in active förbund, by förbund name (needs app.user_id set)."""
    with scope.scopes_disabled():
        return list(
            Membership.objects.select_related("forbund")
            .filter(user_id=user_id, forbund__is_active=True)
            .order_by("forbund__name")
        )


def forbund_list() -> QuerySet[Forbund]:
    """Every förbund, for platform administrators."""
    return Forbund.objects.order_by("name")


def membership_list(*, forbund: Forbund) -> QuerySet[Membership]:
    """The förbund's members with their users, by role and name."""
    return (
        Membership.objects.filter(forbund=forbund)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name", "user__username")
    )


def invitation_list(*, forbund: Forbund) -> QuerySet[Invitation]:
    """The förbund's invitations, newest first."""
    return Invitation.objects.filter(forbund=forbund).select_related("invited_by").order_by("-created_at")
