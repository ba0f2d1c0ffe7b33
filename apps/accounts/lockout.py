"""django-axes with two limits: per user name and address together, and a higher one per address.

axes counts each entry of ``AXES_LOCKOUT_PARAMETERS`` separately but compares all of them
with the one ``AXES_FAILURE_LIMIT``. With ``[["username", "ip_address"], "ip_address"]``:

- a named user is locked out only at the address the failures came from, so failures from
  elsewhere cannot lock the real user out (the per-user-name lockout could be used against
  anyone whose user name is known);
- an address is locked out for everybody only at ``LOGIN_ADDRESS_FAILURE_LIMIT``, well above
  the per-user limit, so a few colleagues' typos behind a kommun's shared address do not lock
  the whole office out, while password spraying from one address is still stopped.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

USER_AND_ADDRESS = ("username", "ip_address")
ADDRESS = ("ip_address",)


def _key(parameter) -> tuple[str, ...]:
    return (parameter,) if isinstance(parameter, str) else tuple(parameter)


class UserAndAddressHandler(AxesDatabaseHandler):
    """AxesDatabaseHandler whose address-only count has its own, higher limit."""

    def _limit(self, key: tuple[str, ...], request, credentials) -> int:
        if key == ADDRESS:
            return settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return get_failure_limit(request, credentials)

    def get_failures(self, request, credentials=None) -> int:
        """The common limit once any count has reached its own limit, else the per-user count.

        axes locks out when this reaches ``AXES_FAILURE_LIMIT``; translating each count
        against its own limit here keeps axes' lockout, signal and response paths unchanged.
        """
        limit = get_failure_limit(request, credentials)
        counts = {}
        for parameter, attempts in zip(
            settings.AXES_LOCKOUT_PARAMETERS,
            self.get_user_attempts(request, credentials),
            strict=True,
        ):
            key = _key(parameter)
            counts[key] = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if counts[key] >= self._limit(key, request, credentials):
                return limit
        return min(counts.get(USER_AND_ADDRESS, 0), limit - 1)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """On success forget only this user's failures at this address.

        axes would also clear the whole address's count, so one colleague's successful login
        would let password spraying from the same address go on.
        """
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return deleted
