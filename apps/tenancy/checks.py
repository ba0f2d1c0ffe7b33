"""The ``tenancy`` system check: every tenant table under forced RLS, the app role harmless."""

from __future__ import annotations

from django.core.checks import Error, register
from django.db import connections

from . import rls


# A deployment check, so that migrate (which runs the database checks first) can bootstrap
# an empty database; `manage.py check --deploy --tag tenancy --database default` runs it.
@register("tenancy", "database", deploy=True)
def check_row_level_security(app_configs=None, databases=None, **kwargs):
    """Fails when a table with forbund_id lacks enabled+forced RLS or the app role could bypass it."""
    errors = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        for problem in rls.rls_problems(connection):
            errors.append(
                Error(
                    problem,
                    hint="Kör `manage.py migrate` (som ägarrollen) eller rätta rollen.",
                    id="tenancy.E001",
                )
            )
    return errors
