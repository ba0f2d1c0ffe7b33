"""flush, logged in as the owner role: the app role has no TRUNCATE (TRUNCATE ignores RLS)."""

from django.core.management.commands.flush import Command as FlushCommand

from apps.tenancy import dbroles


class Command(FlushCommand):
    def handle(self, **options):
        with dbroles.owner_login(options["database"]):
            return super().handle(**options)
