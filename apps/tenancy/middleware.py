"""Resolve /f/<slug>/, check the membership, open the tenant scope for the request."""

from __future__ import annotations

import re

from django.contrib.auth.views import redirect_to_login
from django.db import connection, transaction
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.cache import add_never_cache_headers

from . import scope
from .abilities import abilities_for
from .converters import SLUG_PATTERN, is_canonical_slug
from .selectors import membership_for_user

TENANT_PATH = re.compile(rf"^/f/(?P<slug>{SLUG_PATTERN})/")
# Any first segment under /f/, to send a differently written slug to its canonical URL.
ANY_TENANT_PATH = re.compile(r"^/f/(?P<slug>[^/]+)/")


def _canonical_redirect(request):
    """A permanent redirect from /f/SAMO/... to /f/samo/... for reads; None otherwise."""
    match = ANY_TENANT_PATH.match(request.path_info)
    if match is None or request.method not in ("GET", "HEAD"):
        return None
    lowered = match["slug"].lower()
    if lowered == match["slug"] or not is_canonical_slug(lowered):
        return None
    start, end = match.span("slug")
    path = request.path[: len(request.path) - len(request.path_info)] + (
        request.path_info[:start] + lowered + request.path_info[end:]
    )
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)


class TenantMiddleware:
    """Owns the transaction of every /f/ request and sets the RLS variables in it.

    ``ATOMIC_REQUESTS`` would wrap only the view; the SET LOCAL must also cover the
    membership check and the template rendering, so the transaction is opened here.
    Outsiders get 404, never 403, so a förbund's existence is not revealed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.forbund = None
        request.membership = None
        request.abilities = abilities_for(None)
        match = TENANT_PATH.match(request.path_info)
        if match is None:
            # Not a tenant path as the URL converter spells it either, so no view can run
            # unscoped: a differently written slug is redirected, anything else is a 404.
            return _canonical_redirect(request) or self.get_response(request)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        with transaction.atomic():
            scope.set_db_user(request.user.pk)
            membership = membership_for_user(user_id=request.user.pk, slug=match["slug"])
            if membership is None:
                raise Http404("Inget sådant förbund")
            forbund = membership.forbund
            scope.set_db_tenant(forbund.pk, request.user.pk)
            request.forbund = forbund
            request.membership = membership
            request.abilities = abilities_for(membership.role)
            with scope.activate(forbund):
                response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        if connection.in_atomic_block and not connection.needs_rollback:
            # Nested in an outer transaction (tests): SET LOCAL would outlive this request.
            scope.set_db_tenant(None, None)
        return response


class NoStoreMiddleware:
    """Logged-in pages and downloads are never kept by a browser or proxy cache.

    A shared computer's back button or a caching proxy must not show a förbund's data after
    logout. Static files are served before this runs (WhiteNoise) and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
