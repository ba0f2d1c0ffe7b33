"""Writes of a user's second factor: enrolment, recovery codes, verification, switching off.

django-otp's devices are the user's own (not tenant-owned), so no förbund scope is involved.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import policy

logger = logging.getLogger(__name__)

APP_NAME = "Autentiseringsapp"
RECOVERY_NAME = "Reservkoder"
RECOVERY_CODE_COUNT = 10


@dataclass(frozen=True)
class Verification:
    """The outcome of a code: the device that accepted it, or why none did."""

    device: TOTPDevice | StaticDevice | None
    throttled: bool = False


def normalise_code(code: str) -> str:
    """Codes as people type them: spaces and hyphens dropped, letters in lower case."""
    return "".join(code.split()).replace("-", "").lower()


def totp_device_pending(*, user) -> TOTPDevice:
    """The user's unconfirmed authenticator app being enrolled (the same one on reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def totp_device_confirm(*, user, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app with a code from it; replaces any earlier app and returns new recovery codes."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            raise ValidationError(
                "För många felaktiga koder. Vänta en stund och försök igen.", code="throttled"
            )
        if not device.verify_token(normalise_code(code)):
            raise ValidationError(
                "Koden stämmer inte. Kontrollera att klockan i telefonen går rätt och skriv den kod "
                "som appen visar just nu.",
                code="invalid",
            )
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
    logger.info("Second factor enrolled for user %s", user.pk)
    return codes


def recovery_codes_regenerate(*, user) -> list[str]:
    """Replace the user's recovery codes with ten new ones (the old ones stop working)."""
    if not policy.has_second_factor(user):
        raise ValidationError("Tvåstegsverifiering är inte påslagen.")
    with transaction.atomic():
        codes = _new_recovery_codes(user)
    logger.info("Recovery codes regenerated for user %s", user.pk)
    return codes


def second_factor_verify(*, user, code: str) -> Verification:
    """Check six digits against the app, anything else against the recovery codes (used up).

    Each kind is tried only for its own shape of code, so a mistyped recovery code does not
    count against the app's throttle and the other way round.
    """
    token = normalise_code(code)
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    throttled = False
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                throttled = True
            elif device.verify_token(token):
                return Verification(device=device)
    return Verification(device=None, throttled=throttled)


def second_factor_disable(*, user) -> None:
    """Remove the app and the recovery codes; refused when the user's roles require them."""
    if policy.second_factor_required(user):
        raise ValidationError("Din roll kräver tvåstegsverifiering. Den kan inte stängas av.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    logger.info("Second factor switched off for user %s", user.pk)
