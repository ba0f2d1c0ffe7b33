"""The second-factor guard: a logged-in user who owes a second factor reaches nothing else."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django_htmx.http import HttpResponseClientRedirect

from . import policy

# The pages each pending step may still reach (by URL name); everything else redirects.
ALLOWED = {
    policy.VERIFY: frozenset({"mfa_verify", "login", "logout"}),
    policy.ENROL: frozenset({"mfa_setup", "login", "logout"}),
}
STEP_URL = {policy.VERIFY: "mfa_verify", policy.ENROL: "mfa_setup"}


def step_redirect(request, step: str, next_url: str):
    """Send the user to the pending step, coming back to ``next_url`` afterwards."""
    url = f"{reverse(STEP_URL[step])}?{urlencode({'next': next_url})}"
    if getattr(request, "htmx", False):
        # A swapped-in fragment would show the step inside the page: reload the whole page.
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


class SecondFactorMiddleware:
    """Placed after OTPMiddleware and before the tenant middleware, so no tenant page, download
    or write is reached by a user who logged in with a password only and owes a second factor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = policy.pending_step(request)
        if step is not None and self._url_name(request) not in ALLOWED[step]:
            return step_redirect(request, step, request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _url_name(request) -> str | None:
        try:
            return resolve(request.path_info).view_name
        except Resolver404:
            return None
