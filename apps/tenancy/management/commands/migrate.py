"""migrate, run as the owner role, then RLS and the app role's grants on every table."""

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections

from apps.tenancy import dbroles, rls


class Command(MigrateCommand):
    help = "Migrerar som ägarrollen och slår på tvingad row-level security på varje förbundstabell."

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        with dbroles.login_role():
            dbroles.ensure_roles(connection)
        with dbroles.owner_role():
            result = super().handle(*args, **options)
            tables = rls.apply_rls(connection)
            dbroles.grant_app_privileges(connection)
        if options["verbosity"] >= 1:
            self.stdout.write(f"Row-level security tvingad på {len(tables)} förbundstabeller.")
        return result
