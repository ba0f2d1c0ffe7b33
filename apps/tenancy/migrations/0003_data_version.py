"""The förbund's data version, bumped by triggers on every tenant table.

The function is created here; the triggers are put on every tenant table after every migrate
(``walls.install_data_version_triggers``, found from the catalog), so a new app's tables are
covered without anyone remembering to. Statement-level triggers with transition tables: one
upsert per statement and förbund, whatever the number of rows. They run as the writer, so
row-level security holds: a statement that may write a förbund's rows may bump its version.
Additive: a new table and a function; every existing förbund starts with a version.
"""

import django.db.models.deletion
from django.db import migrations, models

FUNCTION = """
CREATE OR REPLACE FUNCTION tenancy_data_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE tenancy_dataversion SET token = gen_random_uuid();
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        -- Old and new förbund (a row never moves, but the trigger does not rely on it).
        INSERT INTO tenancy_dataversion (forbund_id, token)
        SELECT f, gen_random_uuid() FROM (
            SELECT forbund_id AS f FROM changed UNION SELECT forbund_id FROM changed_old
        ) s WHERE f IS NOT NULL
        ON CONFLICT (forbund_id) DO UPDATE SET token = EXCLUDED.token;
    ELSE
        INSERT INTO tenancy_dataversion (forbund_id, token)
        SELECT f, gen_random_uuid() FROM (SELECT DISTINCT forbund_id AS f FROM changed) s
        WHERE f IS NOT NULL
        ON CONFLICT (forbund_id) DO UPDATE SET token = EXCLUDED.token;
    END IF;
    RETURN NULL;
END;
$$
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0002_forbund_require_plan_before_grant"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "forbund",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="tenancy.forbund",
                    ),
                ),
                ("token", models.UUIDField()),
            ],
            options={
                "verbose_name": "förbundets dataversion",
                "verbose_name_plural": "förbundens dataversioner",
            },
        ),
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS tenancy_data_changed() CASCADE"),
        migrations.RunSQL(
            "INSERT INTO tenancy_dataversion (forbund_id, token) "
            "SELECT id, gen_random_uuid() FROM tenancy_forbund ON CONFLICT DO NOTHING",
            migrations.RunSQL.noop,
        ),
    ]
