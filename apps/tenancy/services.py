"""Writes of förbund, memberships and invitations. Every write validates and is audited."""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import scope
from .audit import audited_by
from .models import Forbund, Invitation, Membership, Role

User = get_user_model()
logger = logging.getLogger(__name__)


def forbund_create(*, actor, name: str, slug: str, org_nr: str = "") -> Forbund:
    """Create a förbund (platform administrators only)."""
    forbund = Forbund(name=name.strip(), slug=slug.strip(), org_nr=org_nr.strip())
    forbund.full_clean()
    with transaction.atomic(), audited_by(actor):
        forbund.save()
    return forbund


def forbund_update(*, forbund: Forbund, actor, **fields) -> Forbund:
    """Change a förbund's name or organisation number (platform administrators only)."""
    unknown = sorted(set(fields) - {"name", "org_nr"})
    if unknown:
        raise TypeError(f"Forbund: fields not allowed here: {', '.join(unknown)}")
    for key, value in fields.items():
        setattr(forbund, key, value.strip())
    forbund.full_clean()
    with transaction.atomic(), audited_by(actor):
        forbund.save()
    return forbund


def membership_set(*, forbund: Forbund, actor, user, role: str) -> Membership:
    """Give a user a role in the förbund, creating or changing the membership."""
    if role not in Role.values:
        raise ValidationError({"role": "Okänd roll."})
    with scope.tenant_scope(forbund), audited_by(actor):
        membership = Membership.objects.filter(forbund=forbund, user=user).first()
        if membership is None:
            membership = Membership(forbund=forbund, user=user, role=role)
        membership.role = role
        membership.full_clean()
        membership.save()
    return membership


def hash_token(token: str) -> str:
    """SHA-256 of an invitation token: only the hash is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *, forbund: Forbund, actor, email: str, role: str, base_url: str
) -> tuple[Invitation, str]:
    """Save an invitation to the förbund with a role; returns it and its one-time link."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        forbund=forbund,
        email=email.strip().lower(),
        role=role,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=timezone.now() + settings.INVITATION_MAX_AGE,
    )
    with scope.tenant_scope(forbund), audited_by(actor):
        invitation.full_clean()
        invitation.save()
    link = base_url.rstrip("/") + reverse("invitation_accept", args=[forbund.slug, token])
    return invitation, link


def invitation_send(*, forbund: Forbund, invitation: Invitation, link: str) -> bool:
    """E-mail the one-time link; False (and logged) when the mail server refuses."""
    context = {"forbund": forbund, "invitation": invitation, "link": link}
    try:
        send_mail(
            subject=f"Inbjudan till Samordning – {forbund.name}",
            message=render_to_string("tenancy/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("Invitation e-mail to förbund %s could not be sent", forbund.slug)
        return False
    return True


def invitation_find(*, forbund: Forbund, token: str) -> Invitation | None:
    """The invitation behind a link's token, or None (the link proves the scope)."""
    with scope.tenant_scope(forbund):
        return Invitation.objects.filter(forbund=forbund, token_hash=hash_token(token)).first()


def invitation_accept(
    *,
    forbund: Forbund,
    token: str,
    user=None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
):
    """Use an invitation once: create the user if needed and give them the role.

    ``user`` is the logged-in user accepting for an existing account; otherwise a new
    account is made with ``password``. Returns the user.
    """
    with scope.tenant_scope(forbund):
        invitation = (
            Invitation.objects.select_for_update()
            .filter(forbund=forbund, token_hash=hash_token(token))
            .first()
        )
        if invitation is None or not invitation.is_usable:
            raise ValidationError("Inbjudan är ogiltig, har gått ut eller har redan använts.")
        if user is None:
            if User.objects.filter(username__iexact=invitation.email).exists():
                raise ValidationError(
                    "Det finns redan ett konto för adressen. Logga in för att ta emot inbjudan."
                )
            user = User(
                username=invitation.email,
                email=invitation.email,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
            )
            # The same validators as a password change, with the account's e-mail to compare with.
            password_validation.validate_password(password or "", user)
            user.set_password(password)
            user.full_clean()
            user.save()
        elif user.email.lower() != invitation.email and user.username.lower() != invitation.email:
            raise ValidationError("Inbjudan gäller en annan e-postadress än den du är inloggad med.")
        with audited_by(user):
            Membership.objects.update_or_create(
                forbund=forbund, user=user, defaults={"role": invitation.role}
            )
            invitation.accepted_at = timezone.now()
            invitation.accepted_by = user
            invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    return user
