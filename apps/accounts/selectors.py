"""Reads of a user's second factor."""

from __future__ import annotations

from django_otp.plugins.otp_static.models import StaticToken


def recovery_codes_left(*, user) -> int:
    """How many unused recovery codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
