"""The follow-up data's version per förbund, bumped by triggers on every table the statistics read.

Statement-level triggers with transition tables: one upsert per statement and förbund, whatever
the number of rows (a bulk import of 100 000 assessments is one bump per batch). They run as the
writer, so row-level security holds: a statement that may write a förbund's rows may bump its
version. Additive only: a new table, a function and triggers; no existing row is changed.
"""

import django.db.models.deletion
from django.db import migrations, models

# Every table whose rows the statistics and the computed delmål count or label. members_medlem
# gives the remittent's name (a rename must show at once); insatser's own tables are read live.
TABLES = (
    "followup_deltagare",
    "followup_bedomning",
    "followup_monthlycount",
    "followup_aggregatesnapshot",
    "followup_category",
    "followup_step",
    "followup_stepscale",
    "followup_insatsfollowup",
    "followup_insatsyearmode",
    "followup_survey",
    "followup_surveyquestion",
    "followup_surveyoption",
    "members_medlem",
)

FUNCTION = """
CREATE OR REPLACE FUNCTION followup_data_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE followup_dataversion SET token = gen_random_uuid();
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        -- Old and new förbund (a row never moves, but the trigger does not rely on it).
        INSERT INTO followup_dataversion (forbund_id, token)
        SELECT f, gen_random_uuid() FROM (
            SELECT forbund_id AS f FROM changed UNION SELECT forbund_id FROM changed_old
        ) s WHERE f IS NOT NULL
        ON CONFLICT (forbund_id) DO UPDATE SET token = EXCLUDED.token;
    ELSE
        INSERT INTO followup_dataversion (forbund_id, token)
        SELECT f, gen_random_uuid() FROM (SELECT DISTINCT forbund_id AS f FROM changed) s
        WHERE f IS NOT NULL
        ON CONFLICT (forbund_id) DO UPDATE SET token = EXCLUDED.token;
    END IF;
    RETURN NULL;
END;
$$
"""


def _triggers(table: str) -> str:
    return f"""
CREATE TRIGGER followup_version_ins AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION followup_data_changed();
CREATE TRIGGER followup_version_upd AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION followup_data_changed();
CREATE TRIGGER followup_version_del AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION followup_data_changed();
CREATE TRIGGER followup_version_trunc AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION followup_data_changed();
"""


def _drop(table: str) -> str:
    return "".join(
        f"DROP TRIGGER IF EXISTS followup_version_{op} ON {table};" for op in ("ins", "upd", "del", "trunc")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0002_retention_at_least_12_months"),
        ("members", "0004_initial"),
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
                "verbose_name": "uppföljningens dataversion",
                "verbose_name_plural": "uppföljningens dataversioner",
            },
        ),
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS followup_data_changed()"),
        migrations.RunSQL(
            "".join(_triggers(table) for table in TABLES), "".join(_drop(table) for table in TABLES)
        ),
        # Every existing förbund starts with a version, so its figures can be cached at once.
        migrations.RunSQL(
            "INSERT INTO followup_dataversion (forbund_id, token) "
            "SELECT id, gen_random_uuid() FROM tenancy_forbund ON CONFLICT DO NOTHING",
            migrations.RunSQL.noop,
        ),
    ]
