"""The förbund's data version: every write to any of its rows gives a new token, by any path."""

from __future__ import annotations

import pytest
from django.core import checks
from django.db import connection, transaction

from apps.members.models import Medlem
from apps.members.services import medlem_upsert
from apps.tenancy import datacache, dbroles, walls
from apps.tenancy.models import DataVersion
from apps.tenancy.scope import tenant_scope
from samordning.db import logins

pytestmark = pytest.mark.django_db


def _version(forbund):
    with tenant_scope(forbund):
        return datacache.data_version(forbund)


def test_every_tenant_table_but_the_audit_trail_has_the_four_triggers():
    tables = walls.data_version_tables(connection)
    assert {"members_medlem", "plans_plansection", "budgets_costline", "followup_bedomning"} <= set(tables)
    assert not {"tenancy_dataversion", "pghistory_context", "members_medlemevent"} & set(tables)
    assert walls.data_version_problems(connection) == []


def test_a_service_write_bulk_sql_and_a_delete_each_give_a_new_token(forbund_a, alice):
    before = _version(forbund_a)
    with tenant_scope(forbund_a):
        medlem_upsert(forbund=forbund_a, actor=alice, name="Motala kommun", kind="kommun")
    after_insert = _version(forbund_a)
    with tenant_scope(forbund_a):
        Medlem.objects.filter(forbund=forbund_a).update(population=42000)
    after_update = _version(forbund_a)
    with tenant_scope(forbund_a):
        Medlem.objects.filter(forbund=forbund_a).delete()
    after_delete = _version(forbund_a)
    assert len({before, after_insert, after_update, after_delete}) == 4
    assert None not in {after_insert, after_update, after_delete}


def test_a_write_leaves_the_other_forbunds_token(forbund_a, forbund_b, alice):
    with tenant_scope(forbund_b):
        Medlem.objects.create(forbund=forbund_b, name="Region Beta", kind="region")
    beta = _version(forbund_b)
    with tenant_scope(forbund_a):
        Medlem.objects.create(forbund=forbund_a, name="Region Alfa", kind="region")
    assert _version(forbund_b) == beta is not None


def test_a_rolled_back_write_keeps_the_token(forbund_a):
    with tenant_scope(forbund_a):
        Medlem.objects.create(forbund=forbund_a, name="Region Alfa", kind="region")
        before = datacache.data_version(forbund_a)
        with pytest.raises(RuntimeError), transaction.atomic():
            Medlem.objects.create(forbund=forbund_a, name="Ångrad kommun", kind="kommun")
            assert datacache.data_version(forbund_a) != before
            raise RuntimeError
        assert datacache.data_version(forbund_a) == before


def test_the_version_rows_are_under_row_level_security(forbund_a, forbund_b):
    for forbund in (forbund_a, forbund_b):
        with tenant_scope(forbund):
            Medlem.objects.create(forbund=forbund, name=f"Region {forbund.slug}", kind="region")
    with tenant_scope(forbund_a):
        assert list(DataVersion.objects.values_list("forbund_id", flat=True)) == [forbund_a.pk]
    assert DataVersion.objects.count() == 0  # no förbund in scope: nothing


def test_remember_computes_once_per_version_and_again_after_a_write(forbund_a):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    with tenant_scope(forbund_a):
        Medlem.objects.create(forbund=forbund_a, name="Region Alfa", kind="region")
        assert datacache.remember(forbund_a, "prov", (1,), compute) == 1
        assert datacache.remember(forbund_a, "prov", (1,), compute) == 1
        assert datacache.remember(forbund_a, "prov", (2,), compute) == 2  # other inputs, other entry
        Medlem.objects.filter(forbund=forbund_a).update(name="Region Alfa län")
        assert datacache.remember(forbund_a, "prov", (1,), compute) == 3
    # The förbund's own row is no tenant row: its last change is in the key instead.
    forbund_a.name = "Samordningsförbundet Alfa med nytt namn"
    forbund_a.save()
    with tenant_scope(forbund_a):
        assert datacache.remember(forbund_a, "prov", (1,), compute) == 4


def test_tenancy_check_names_a_table_without_its_triggers(db):
    with dbroles.raw_connection(logins.OWNER) as raw, raw.transaction(force_rollback=True):
        raw.execute("DROP TRIGGER tenancy_version_upd ON members_medlem")
        problems = walls.data_version_problems(raw)
    assert problems == [
        "Tabellen members_medlem saknar triggrarna som byter förbundets dataversion vid skrivning"
    ]
    errors = checks.run_checks(tags=["tenancy"], include_deployment_checks=True, databases=["default"])
    assert not [e for e in errors if e.id == "tenancy.E006"]  # back in place after the rollback
