"""The follow-up's own data version gives way to the förbund's (``tenancy.DataVersion``).

Its triggers covered the tables the statistics count; the förbund's version is bumped by
triggers on every tenant table (installed after every migrate), so the follow-up's cache reads
that one and these triggers, their function and the table go.
"""

import importlib

from django.db import migrations

# The triggers 0003 created, dropped as its own reverse operation drops them.
_0003 = importlib.import_module("apps.followup.migrations.0003_data_version")


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0003_data_version"),
        ("tenancy", "0003_data_version"),
    ]

    operations = [
        migrations.RunSQL("".join(_0003._drop(table) for table in _0003.TABLES), migrations.RunSQL.noop),
        migrations.RunSQL("DROP FUNCTION IF EXISTS followup_data_changed()", migrations.RunSQL.noop),
        migrations.DeleteModel(name="DataVersion"),
    ]
