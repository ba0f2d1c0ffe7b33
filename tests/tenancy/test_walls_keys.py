"""Foreign keys stay inside one förbund, enforced by PostgreSQL, checked by `tenancy`."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from django.core import checks
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import isolate_apps

from apps.insatser.models import Insats
from apps.members.models import Medlem, Organ, OrganKind
from apps.tenancy import dbroles, walls
from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope
from samordning.db import logins
from tests.insatser.conftest import make_insats

INSERT_ORGANMEDLEM = (
    "INSERT INTO members_organmedlem (forbund_id, public_id, created_at, updated_at, person_name, role,"
    " organ_id, medlem_id) VALUES (%s, gen_random_uuid(), now(), now(), 'Eva', '', %s, %s)"
)


def _check_now(sql, params):
    """Run one statement as the app role and force the deferred key checks at once."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.fixture
def organ_a(forbund_a):
    with tenant_scope(forbund_a):
        return Organ.objects.create(forbund=forbund_a, kind=OrganKind.CHEFSGRUPP, name="Chefsgruppen")


def test_organ_member_pointing_at_other_forbunds_medlem_is_refused(organ_a, forbund_a, tenant_rows):
    foreign = tenant_rows["beta"]
    with tenant_scope(forbund_a), pytest.raises(IntegrityError, match="members_organmedlem_medlem_id_twfk"):
        _check_now(INSERT_ORGANMEDLEM, [forbund_a.pk, organ_a.pk, foreign.pk])


def test_organ_member_pointing_at_own_forbunds_medlem_is_accepted(organ_a, forbund_a, tenant_rows):
    own = tenant_rows["alfa"]
    with tenant_scope(forbund_a):
        _check_now(INSERT_ORGANMEDLEM, [forbund_a.pk, organ_a.pk, own.pk])
        assert organ_a.ledamoter.get().medlem_id == own.pk


def test_update_repointing_at_other_forbunds_row_is_refused(forbund_a, forbund_b):
    with tenant_scope(forbund_b):
        foreign = Medlem.objects.create(forbund=forbund_b, name="Region Beta", kind="region")
    with tenant_scope(forbund_a):
        insats = make_insats(forbund_a)
        with pytest.raises(IntegrityError, match="insatser_insats_verksamhetsagare_id_twfk"):
            _check_now(
                "UPDATE insatser_insats SET verksamhetsagare_id = %s WHERE id = %s", [foreign.pk, insats.pk]
            )


def test_staff_grant_pointing_at_other_forbunds_insats_is_refused(forbund_a, forbund_b, alice):
    with tenant_scope(forbund_b):
        foreign = make_insats(forbund_b, "Betas insats")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM auth_permission WHERE codename = 'view_insats'")
        permission_id = cursor.fetchone()[0]
    with tenant_scope(forbund_a), pytest.raises(IntegrityError, match="content_object_id_twfk"):
        _check_now(
            "INSERT INTO insatser_insatsuserobjectpermission (forbund_id, user_id, permission_id,"
            " content_object_id, created_at) VALUES (%s, %s, %s, %s, now())",
            [forbund_a.pk, alice.pk, permission_id, foreign.pk],
        )


def test_every_tenant_foreign_key_has_its_wall(db):
    keys = walls.tenant_foreign_keys(connection)
    assert {
        ("members_organmedlem", "medlem_id"),
        ("insatser_insatsuserobjectpermission", "content_object_id"),
        ("budgets_costline", "parent_id"),
    } <= {(fk.table, fk.column) for fk in keys}
    assert walls.fk_wall_problems(connection) == []


def test_history_tables_get_no_wall(db):
    """Event rows may outlive what they point at, so pghistory gives them no key to wall."""
    tables = {fk.table for fk in walls.tenant_foreign_keys(connection)}
    assert not tables & set(walls.event_tables(connection))


def test_apply_fk_walls_covers_a_new_tenant_table(db):
    with dbroles.raw_connection(logins.OWNER) as raw, raw.transaction(force_rollback=True):
        raw.execute("CREATE TABLE tmp_parent (id bigint PRIMARY KEY, forbund_id bigint NOT NULL)")
        raw.execute(
            "CREATE TABLE tmp_child (id bigint PRIMARY KEY, forbund_id bigint NOT NULL,"
            " parent_id bigint REFERENCES tmp_parent (id))"
        )
        missing = walls.fk_wall_problems(raw)
        walls.apply_fk_walls(raw)
        remaining = walls.fk_wall_problems(raw)
        raw.execute("INSERT INTO tmp_parent VALUES (1, 3)")
        raw.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with (
            pytest.raises(psycopg.errors.ForeignKeyViolation, match="tmp_child_parent_id_twfk"),
            raw.transaction(),
        ):
            raw.execute("INSERT INTO tmp_child VALUES (1, 1, 1)")
    assert [p for p in missing if "tmp_child.parent_id" in p]
    assert remaining == []


def test_apply_fk_walls_drops_wall_of_removed_key(db):
    with dbroles.raw_connection(logins.OWNER) as raw, raw.transaction(force_rollback=True):
        raw.execute("CREATE TABLE tmp_parent (id bigint PRIMARY KEY, forbund_id bigint NOT NULL)")
        raw.execute(
            "CREATE TABLE tmp_child (id bigint PRIMARY KEY, forbund_id bigint NOT NULL,"
            " parent_id bigint CONSTRAINT tmp_child_parent_fk REFERENCES tmp_parent (id))"
        )
        walls.apply_fk_walls(raw)
        raw.execute("ALTER TABLE tmp_child DROP CONSTRAINT tmp_child_parent_fk")
        walls.apply_fk_walls(raw)
        rows = raw.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid IN ('tmp_child'::regclass, 'tmp_parent'::regclass)"
            " AND (conname LIKE '%%twfk' OR conname LIKE '%%twuq')"
        ).fetchall()
    assert rows == []


def test_tenancy_check_fails_for_tenant_key_without_wall(db):
    with dbroles.raw_connection(logins.OWNER) as raw:
        try:
            raw.execute("CREATE TABLE tmp_parent (id bigint PRIMARY KEY, forbund_id bigint NOT NULL)")
            raw.execute(
                "CREATE TABLE tmp_child (id bigint PRIMARY KEY, forbund_id bigint NOT NULL,"
                " parent_id bigint REFERENCES tmp_parent (id))"
            )
            errors = checks.run_checks(
                tags=["tenancy"], include_deployment_checks=True, databases=["default"]
            )
        finally:
            raw.execute("DROP TABLE IF EXISTS tmp_child, tmp_parent")
    assert any(e.id == "tenancy.E003" and "tmp_child.parent_id" in e.msg for e in errors)


def test_tenancy_check_fails_for_key_into_tenant_table_from_table_without_forbund(db):
    with dbroles.raw_connection(logins.OWNER) as raw:
        try:
            raw.execute(
                "CREATE TABLE tmp_link (id bigint PRIMARY KEY, medlem_id bigint REFERENCES members_medlem)"
            )
            errors = checks.run_checks(
                tags=["tenancy"], include_deployment_checks=True, databases=["default"]
            )
        finally:
            raw.execute("DROP TABLE IF EXISTS tmp_link")
    assert any(e.id == "tenancy.E003" and "tmp_link" in e.msg for e in errors)


def test_model_check_passes_for_the_project():
    assert walls.model_fk_problems() == []


@isolate_apps("apps.tenancy")
def test_model_check_flags_tenant_key_without_constraint():
    class Loose(models.Model):
        forbund = models.ForeignKey(Forbund, on_delete=models.PROTECT)
        medlem = models.ForeignKey(Medlem, on_delete=models.PROTECT, db_constraint=False)

        class Meta:
            app_label = "tenancy"

    problems = walls.model_fk_problems([Loose])
    assert len(problems) == 1
    assert "tenancy.Loose.medlem" in problems[0] and "db_constraint=False" in problems[0]


@isolate_apps("apps.tenancy")
def test_model_check_flags_many_to_many_between_tenant_models_without_own_through():
    class Team(models.Model):
        forbund = models.ForeignKey(Forbund, on_delete=models.PROTECT)
        insatser = models.ManyToManyField(Insats)

        class Meta:
            app_label = "tenancy"

    through = Team.insatser.through
    problems = walls.model_fk_problems([Team, through])
    assert any(through._meta.label in p and "har inget förbund" in p for p in problems)


def test_wall_names_fit_postgres_identifiers():
    name = walls.ForeignKey("x" * 60, "y" * 20 + str(uuid.uuid4()), "t", "id").wall_name
    assert len(name) <= 63 and name.endswith("_twfk")
