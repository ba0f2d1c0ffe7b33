"""The ``tenancy`` system check: every database wall in place, the app's login harmless."""

from __future__ import annotations

from django.core.checks import Error, register
from django.db import connections

from . import dbroles, rls, walls

_HINT_MIGRATE = "Kör `manage.py migrate`, som lägger på väggarna efter varje migrering."


# A deployment check, so that migrate (which runs the database checks first) can bootstrap
# an empty database; `manage.py check --deploy --tag tenancy --database default` runs it.
@register("tenancy", "database", deploy=True)
def check_row_level_security(app_configs=None, databases=None, **kwargs):
    """Fails when a table with forbund_id lacks enabled+forced RLS or the app could get around it."""
    errors = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        errors += [
            Error(
                problem,
                hint="Kör `manage.py migrate` (som ägarrollen) eller rätta rollen.",
                id="tenancy.E001",
            )
            for problem in rls.rls_problems(connection)
        ]
        errors += [
            Error(
                problem,
                hint="Logga in som applikationsrollen (DB_APP_ROLE), som inte är superuser och inte "
                "kan byta till en roll som är det; se docs/configuration.md.",
                id="tenancy.E002",
            )
            for problem in dbroles.login_problems(connection)
        ]
        errors += [
            Error(p, hint=_HINT_MIGRATE, id="tenancy.E003") for p in walls.fk_wall_problems(connection)
        ]
        errors += [Error(p, hint=_HINT_MIGRATE, id="tenancy.E004") for p in walls.audit_problems(connection)]
        errors += [
            Error(p, hint=_HINT_MIGRATE, id="tenancy.E006") for p in walls.data_version_problems(connection)
        ]
    return errors


@register("tenancy", deploy=True)
def check_tenant_relations(app_configs=None, **kwargs):
    """Fails for a relation between tenant models that the database cannot keep inside one förbund."""
    return [
        Error(
            problem,
            hint="Ge modellen en forbund-nyckel (ärv TenantModel) och låt relationen ha en databasnyckel; "
            "en många-till-många-relation behöver en egen through-modell med förbund.",
            id="tenancy.E005",
        )
        for problem in walls.model_fk_problems()
    ]
