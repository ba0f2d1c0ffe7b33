"""Who must use a second factor, and where a logged-in user without one may still go.

Computed in one place and used by the guard middleware, the login view and the pages.
This module belongs to the ground floor: it knows roles (apps.tenancy), no domain app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.tenancy import scope
from apps.tenancy.models import Role
from apps.tenancy.selectors import memberships_of_user

# The roles that write a förbund's data or see participant rows. Platform administrators
# (superusers) need it too; styrelse and revisor are offered it.
SECOND_FACTOR_ROLES = frozenset({Role.FORBUNDSCHEF, Role.KANSLI, Role.PLATTFORM})

# The demo loader's shared password. An account that logged in with it while DEBUG is on is
# a demo account (the loader refuses to run without DEBUG, and real passwords must be at
# least ten characters), and is let in without a second factor.
DEMO_PASSWORD = "demo"
DEMO_SESSION_KEY = "second_factor_demo_exempt"

VERIFY = "verify"
ENROL = "enrol"


def has_second_factor(user) -> bool:
    """True when the user has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_required(user) -> bool:
    """True for platform administrators and for anyone with a writing or participant role."""
    if user.is_superuser or user.is_staff:
        return True
    with transaction.atomic():
        # The user's own memberships in every förbund (the member_reads_own RLS policy).
        scope.set_db_user(user.pk)
        roles = {membership.role for membership in memberships_of_user(user_id=user.pk)}
        scope.set_db_user(None)
    return not roles.isdisjoint(SECOND_FACTOR_ROLES)


def is_demo_exempt(request) -> bool:
    """A demo account, only while DEBUG is on."""
    return bool(settings.DEBUG and request.session.get(DEMO_SESSION_KEY))


def mark_demo_login(request, password: str) -> None:
    """Remember a login with the demo password (DEBUG only), for :func:`is_demo_exempt`."""
    if settings.DEBUG and password == DEMO_PASSWORD:
        request.session[DEMO_SESSION_KEY] = True


def pending_step(request) -> str | None:
    """What a logged-in user must do before anything else: VERIFY, ENROL or nothing (None)."""
    user = request.user
    # Right after login() request.user is the plain User, not OTPMiddleware's: not verified.
    verified = getattr(user, "is_verified", None)
    if not user.is_authenticated or (verified is not None and verified()):
        return None
    if has_second_factor(user):
        # Once enrolled, always asked, whatever the role.
        return VERIFY
    if second_factor_required(user) and not is_demo_exempt(request):
        return ENROL
    return None
