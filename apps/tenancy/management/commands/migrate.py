"""migrate, logged in as the owner role, then the database walls on every table it finds.

Before: the admin login (where there is one) creates the login roles. After: row-level
security, the composite förbund keys, the app role's rights, the append-only history and the
data version triggers (apps/tenancy/rls.py and walls.py), all in one transaction.
"""

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections, transaction
from django.db.migrations.executor import MigrationExecutor

from apps.tenancy import dbroles, rls, walls


class Command(MigrateCommand):
    help = (
        "Migrerar som ägarrollen och lägger sedan på databasväggarna: tvingad row-level security, "
        "förbundsnycklar och historik som bara kan läggas till."
    )

    def handle(self, *args, **options):
        using = options["database"]
        connection = connections[using]
        dbroles.ensure_roles(using)
        with dbroles.owner_login(using):
            executor = MigrationExecutor(connection)
            if executor.migration_plan(executor.loader.graph.leaf_nodes()) or options["app_label"]:
                # A migration may retarget or retype a key that a composite twin depends on;
                # the walls are rebuilt from the catalog afterwards.
                walls.drop_fk_walls(connection)
            result = super().handle(*args, **options)
            with transaction.atomic(using):
                walls.install_context_forbund(connection)
                tables = rls.apply_rls(connection)
                keys = walls.apply_fk_walls(connection)
                dbroles.grant_app_privileges(connection)
                walls.make_history_append_only(connection)
                walls.install_history_purge(connection)
                walls.install_data_version_triggers(connection)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Row-level security tvingad på {len(tables)} förbundstabeller, "
                f"{len(keys)} främmande nycklar hålls inom förbundet, historiken kan bara läggas till."
            )
        return result
