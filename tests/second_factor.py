"""Passing the second factor in tests, the way a person (or django_otp.login) does it."""

from __future__ import annotations

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def enrol(user) -> TOTPDevice:
    """The user's confirmed authenticator app, made if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Testapp", confirmed=True)


def code_for(device: TOTPDevice) -> str:
    """A code the device accepts now: the current one, or the next step's if that was used.

    django-otp refuses a code of a time step at or before the last one used, and accepts one
    step ahead (tolerance 1), so two logins within 30 seconds still get a valid code.
    """
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def pass_second_factor(client: Client, user) -> None:
    """Mark the client's session as verified with the user's app, as django_otp.login does."""
    device = enrol(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


class SecondFactorClient(Client):
    """The test client whose force_login also passes the second factor (DEBUG is off in tests)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        pass_second_factor(self, user)
