"""flush, logged in as the owner role: the app role has no TRUNCATE (TRUNCATE ignores RLS)."""

import time

from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as FlushCommand

from apps.tenancy import dbroles

ATTEMPTS = 3


class Command(FlushCommand):
    def handle(self, **options):
        # TRUNCATE can deadlock with a request still finishing on another connection (a live
        # server's last htmx request at the end of a browser test); PostgreSQL then aborts one
        # side, and trying again once that request has ended succeeds.
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with dbroles.owner_login(options["database"]):
                    return super().handle(**options)
            except CommandError as exc:
                deadlock = "deadlock" in str(exc.__cause__ or "").lower()
                if not deadlock or attempt == ATTEMPTS:
                    raise
                time.sleep(0.5 * attempt)
        return None
