"""Förbund switcher, platform administration and invitations (the overview is in apps.home)."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from . import scope, selectors, services
from .forms import AcceptInvitationForm, ForbundForm, InvitationForm
from .models import Forbund


@login_required
def home(request):
    """After login: straight to the only förbund, or a list to pick from."""
    with transaction.atomic():
        scope.set_db_user(request.user.pk)
        memberships = selectors.memberships_of_user(user_id=request.user.pk)
    if len(memberships) == 1 and not request.user.is_superuser:
        return redirect("overview", forbund_slug=memberships[0].forbund.slug)
    return render(request, "tenancy/home.html", {"memberships": memberships})


def platform_admin_required(view):
    """Platform administrators only; anybody else logged in gets 404."""

    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@platform_admin_required
def platform_forbund_list(request):
    return render(request, "tenancy/platform/forbund_list.html", {"forbund_list": selectors.forbund_list()})


@platform_admin_required
@require_http_methods(["GET", "POST"])
def platform_forbund_create(request):
    form = ForbundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            forbund = services.forbund_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{forbund.name} är skapat. Bjud nu in förbundschefen.")
            return redirect("platform_forbund_detail", slug=forbund.slug)
    return render(request, "tenancy/platform/forbund_form.html", {"form": form})


@platform_admin_required
@require_http_methods(["GET", "POST"])
def platform_forbund_detail(request, slug):
    forbund = get_object_or_404(Forbund, slug=slug)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, link = services.invitation_create(
                forbund=forbund,
                actor=request.user,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if services.invitation_send(forbund=forbund, invitation=invitation, link=link):
                messages.success(request, f"En inbjudan har skickats till {invitation.email}.")
            else:
                messages.error(
                    request,
                    f"Inbjudan till {invitation.email} är sparad, men e-posten kunde inte skickas. "
                    "Kontrollera e-postinställningarna och skicka en ny inbjudan.",
                )
            return redirect("platform_forbund_detail", slug=forbund.slug)
    # Platform staff work across förbund: an explicit scope for this one förbund.
    with scope.tenant_scope(forbund):
        memberships = list(selectors.membership_list(forbund=forbund))
        invitations = list(selectors.invitation_list(forbund=forbund)[:50])
    return render(
        request,
        "tenancy/platform/forbund_detail.html",
        {"target": forbund, "form": form, "memberships": memberships, "invitations": invitations},
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request, forbund_slug, token):
    """The one-time link from the invitation e-mail."""
    forbund = get_object_or_404(Forbund, slug=forbund_slug, is_active=True)
    invitation = services.invitation_find(forbund=forbund, token=token)
    if invitation is None or not invitation.is_usable:
        return render(request, "tenancy/invitation_invalid.html", status=404)
    existing = request.user if request.user.is_authenticated else None
    form = None if existing else AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (existing or form.is_valid()):
        try:
            user = services.invitation_accept(
                forbund=forbund,
                token=token,
                user=existing,
                password=None if existing else form.cleaned_data["password1"],
                first_name="" if existing else form.cleaned_data["first_name"],
                last_name="" if existing else form.cleaned_data["last_name"],
            )
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(request.path)
            form.add_error(None, error)
        else:
            if existing is None:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Välkommen till {forbund.name}!")
            return redirect("overview", forbund_slug=forbund.slug)
    return render(
        request,
        "tenancy/invitation_accept.html",
        {"target": forbund, "invitation": invitation, "form": form, "existing": existing},
    )
