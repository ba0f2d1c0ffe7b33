"""apps.core.db: prepared statements that keep row-level security, instances built like from_db."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import signals
from django.test.utils import CaptureQueriesContext

from apps.budgets.models import Budget, CostLine, IncomeLine, PrognosisOverride
from apps.core.db import loaded_instance, prepared_cursor
from apps.members.models import Medlem
from apps.tenancy.scope import tenant_scope

pytestmark = pytest.mark.django_db

NAMES = f"SELECT name FROM {Medlem._meta.db_table} WHERE name LIKE %(pattern)s ORDER BY name"  # noqa: S608


def _prepared_names() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [row[0] for row in cursor.fetchall()]


def test_a_prepared_statement_is_planned_once_and_still_sees_only_the_scope_forbund(
    tenant_rows, forbund_a, forbund_b
):
    """The same prepared statement on one connection, run for A then for B: each sees only its
    own row (RLS reads the scope when the plan runs, not when it was prepared)."""
    seen = {}
    for forbund in (forbund_a, forbund_b, forbund_a):
        with tenant_scope(forbund), prepared_cursor() as cursor:
            cursor.execute(NAMES, {"pattern": "Region %"})
            seen.setdefault(forbund.slug, []).append([row[0] for row in cursor.fetchall()])
    assert seen == {
        "alfa": [["Region Samordningsförbundet Alfa"]] * 2,
        "beta": [["Region Samordningsförbundet Beta"]],
    }
    prepared = [statement for statement in _prepared_names() if Medlem._meta.db_table in statement]
    assert len(prepared) == 1  # prepared at first use, then reused
    assert "$1" in prepared[0]  # the value travelled apart from the SQL


def test_prepared_queries_are_counted_and_logged_like_any_other(tenant_rows, forbund_a):
    with tenant_scope(forbund_a), CaptureQueriesContext(connection) as queries:
        with prepared_cursor() as cursor:
            cursor.execute(NAMES, {"pattern": "Region %"})
            assert cursor.fetchall() == [("Region Samordningsförbundet Alfa",)]
    assert len(queries) == 1
    assert Medlem._meta.db_table in queries[0]["sql"]


def test_without_a_scope_a_prepared_statement_sees_nothing(tenant_rows):
    """Outside a förbund's scope row-level security hides every row (fails closed)."""
    with prepared_cursor() as cursor:
        cursor.execute(NAMES, {"pattern": "Region %"})
        assert cursor.fetchall() == []


def test_loaded_instance_is_the_instance_from_db_builds(forbund_a):
    with tenant_scope(forbund_a):
        budget = Budget.objects.create(forbund=forbund_a, year=2031)
        line = CostLine.objects.create(forbund=forbund_a, budget=budget, name="Kansli", amount=1200)
    names = ("id", "forbund_id", "public_id", "budget_id", "account_code", "name", "amount")
    values = (line.pk, forbund_a.pk, line.public_id, budget.pk, "", "Kansli", 1200)
    fast = loaded_instance(CostLine, names, values, db="default")
    slow = CostLine.from_db("default", names, values)
    assert {k: v for k, v in vars(fast).items() if k != "_state"} == {
        k: v for k, v in vars(slow).items() if k != "_state"
    }
    assert (fast._state.adding, fast._state.db) == (slow._state.adding, slow._state.db) == (False, "default")
    assert (
        fast.get_deferred_fields() == slow.get_deferred_fields() >= {"created_at", "updated_at", "parent_id"}
    )
    assert fast == line and str(fast) == str(line)
    with tenant_scope(forbund_a):
        assert fast.budget == budget  # relations load as on any instance
        assert fast.created_at == line.created_at  # a deferred field loads when read


def test_loaded_instance_refuses_a_value_without_a_name():
    with pytest.raises(ValueError):
        loaded_instance(CostLine, ("id", "name"), (1, "Kansli", 3), db="default")


@pytest.mark.parametrize("model", [Budget, CostLine, IncomeLine, PrognosisOverride])
def test_models_read_with_loaded_instance_have_no_init_receivers(model):
    """loaded_instance skips Model.__init__ and so its signals: nothing may listen to them."""
    assert not signals.pre_init.has_listeners(model)
    assert not signals.post_init.has_listeners(model)
