"""Login, the second-factor step, enrolment of an authenticator app and recovery codes."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from . import policy, selectors, services
from .forms import SetupForm, VerifyForm
from .middleware import step_redirect

NEW_CODES_SESSION_KEY = "second_factor_new_codes"


def _next_url(request, default: str = "") -> str:
    """The ``next`` parameter when it points into this site, else ``default`` (or home)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """Django's login with the password step only; the second factor follows when it is owed."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        policy.mark_demo_login(self.request, form.cleaned_data.get("password", ""))
        step = policy.pending_step(self.request)
        if step is not None:
            # Straight to the step, rather than via a page the guard would turn away.
            return step_redirect(self.request, step, response.url)
        return response


def _verified_login(request, device) -> None:
    # A new session key once the second factor is in: a key fixed before it is worth nothing.
    request.session.cycle_key()
    django_otp.login(request, device)


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    """The second step of logging in: a code from the app or a recovery code."""
    next_url = _next_url(request)
    if request.user.is_verified() or not policy.has_second_factor(request.user):
        return redirect(next_url)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.second_factor_verify(user=request.user, code=form.cleaned_data["code"])
        if result.device is not None:
            _verified_login(request, result.device)
            if isinstance(result.device, StaticDevice):
                left = selectors.recovery_codes_left(user=request.user)
                messages.warning(
                    request,
                    f"Du loggade in med en reservkod. Du har {left} kvar; skapa nya under "
                    "Tvåstegsverifiering om de börjar ta slut.",
                )
            return redirect(next_url)
        if result.throttled:
            form.add_error("code", "För många felaktiga koder. Vänta en stund och försök igen.")
        else:
            form.add_error("code", "Koden stämmer inte. Försök igen med den kod som appen visar nu.")
    return render(request, "registration/mfa_verify.html", {"form": form, "next": next_url})


def _qr_data_uri(uri: str) -> str:
    # An <img> with a data: URI: the CSP allows data: images, and no inline SVG styles are needed.
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """Guided enrolment of an authenticator app (also replaces the app of a verified user)."""
    next_url = _next_url(request, reverse("mfa_overview"))
    if policy.has_second_factor(request.user) and not request.user.is_verified():
        # Whoever has only the password may not swap the app.
        return step_redirect(request, policy.VERIFY, request.get_full_path())
    device = services.totp_device_pending(user=request.user)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_device_confirm(
                user=request.user, device=device, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            device.refresh_from_db()
            _verified_login(request, device)
            request.session[NEW_CODES_SESSION_KEY] = codes
            messages.success(request, "Tvåstegsverifiering är påslagen.")
            return redirect(f"{reverse('mfa_recovery_codes')}?{urlencode({'next': next_url})}")
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "qr": _qr_data_uri(device.config_url),
        "secret": _grouped(secret),
        "required": policy.second_factor_required(request.user),
    }
    return render(request, "registration/mfa_setup.html", context)


@login_required
@require_http_methods(["GET"])
def mfa_recovery_codes(request):
    """The new recovery codes, shown once right after they are made."""
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("mfa_overview")
    return render(
        request, "registration/mfa_recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


@login_required
@require_http_methods(["GET"])
def mfa_overview(request):
    """Whether the second factor is on, with what can be done about it."""
    enabled = policy.has_second_factor(request.user)
    context = {
        "enabled": enabled,
        "required": policy.second_factor_required(request.user),
        "codes_left": selectors.recovery_codes_left(user=request.user) if enabled else 0,
    }
    return render(request, "registration/mfa_overview.html", context)


@login_required
@require_POST
def mfa_regenerate(request):
    try:
        request.session[NEW_CODES_SESSION_KEY] = services.recovery_codes_regenerate(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mfa_overview")
    messages.success(request, "Nya reservkoder är skapade. De gamla fungerar inte längre.")
    return redirect("mfa_recovery_codes")


@login_required
@require_POST
def mfa_disable(request):
    try:
        services.second_factor_disable(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Tvåstegsverifiering är avstängd.")
    return redirect("mfa_overview")
