"""Budget services: writes, Swedish refusals, audit context, and the noise förbund untouched."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.budgets import services
from apps.budgets.models import Budget, CostLine, IncomeKind, IncomeLine, LongTermCost
from apps.insatser.models import Insats
from apps.tenancy.scope import tenant_scope

pytestmark = pytest.mark.django_db


def _lines(budget, name):
    return CostLine.objects.get(forbund_id=budget.forbund_id, budget=budget, name=name)


def test_budget_create_refuses_second_budget_same_year(ostra, forbund_a, alice):
    with tenant_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.budget_create(forbund=forbund_a, actor=alice, year=2023)
    assert "Det finns redan en budget för 2023." in exc.value.message_dict["year"]


def test_budget_create_same_year_in_other_forbund_allowed(ostra, forbund_b):
    with tenant_scope(forbund_b):
        assert Budget.objects.filter(forbund=forbund_b, year=2023).count() == 1


def test_budget_update_changes_settings(ostra, forbund_a, alice):
    with tenant_scope(forbund_a):
        services.budget_update(
            forbund=forbund_a, actor=alice, budget=ostra, input_mode="state", input_amount=5
        )
        ostra.refresh_from_db()
    assert (ostra.input_mode, ostra.input_amount) == ("state", 5)


def test_budget_update_refuses_bad_year_range(forbund_a, alice):
    with tenant_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.budget_create(forbund=forbund_a, actor=alice, year=1990)
    assert "Ange ett år från 2000." in exc.value.message_dict["year"]


def test_cost_line_refuses_amount_with_insats(ostra, forbund_a, alice):
    with tenant_scope(forbund_a):
        insats = Insats.objects.get(forbund=forbund_a, name="Norrköping")
        with pytest.raises(ValidationError) as exc:
            services.cost_line_create(
                forbund=forbund_a, actor=alice, budget=ostra, name="X", insats=insats, amount=5
            )
    assert "Lämna beloppet tomt" in exc.value.message_dict["amount"][0]


def test_cost_line_refuses_third_level(ostra, forbund_a, alice):
    with tenant_scope(forbund_a):
        child = _lines(ostra, "Norrköping")
        with pytest.raises(ValidationError) as exc:
            services.cost_line_create(forbund=forbund_a, actor=alice, budget=ostra, parent=child, name="Djup")
    assert "En underrad kan inte ha egna underrader" in exc.value.message_dict["parent"][0]


def test_cost_line_refuses_child_under_line_with_amount(ostra, forbund_a, alice):
    with tenant_scope(forbund_a):
        kansli = _lines(ostra, "Kansli")
        with pytest.raises(ValidationError) as exc:
            services.cost_line_create(forbund=forbund_a, actor=alice, budget=ostra, parent=kansli, name="Lön")
    assert "har ett eget belopp" in exc.value.message_dict["parent"][0]


def test_cost_line_refuses_amount_on_parent(ostra, forbund_a, alice):
    with tenant_scope(forbund_a):
        parent = _lines(ostra, "Åtgärder individ och struktur")
        with pytest.raises(ValidationError) as exc:
            services.cost_line_update(forbund=forbund_a, actor=alice, cost_line=parent, amount=1)
    assert "Raden har underrader" in exc.value.message_dict["amount"][0]


def test_cost_line_refuses_insats_of_other_forbund(ostra, forbund_a, forbund_b, alice):
    with tenant_scope(forbund_b):
        foreign = Insats.objects.get(forbund=forbund_b, name="Finspång")
    with tenant_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.cost_line_create(forbund=forbund_a, actor=alice, budget=ostra, name="X", insats=foreign)
    assert "insats" in exc.value.message_dict


def test_cost_line_refuses_negative_amount(ostra, forbund_a, alice):
    with tenant_scope(forbund_a), pytest.raises(ValidationError):
        services.cost_line_create(forbund=forbund_a, actor=alice, budget=ostra, name="X", amount=-1)


def test_cost_line_move_swaps_positions(ostra, forbund_a, alice):
    with tenant_scope(forbund_a):
        revision = _lines(ostra, "Revision")
        services.cost_line_move(forbund=forbund_a, actor=alice, cost_line=revision, up=True)
        names = list(
            CostLine.objects.filter(forbund=forbund_a, budget=ostra, parent=None)
            .order_by("position")
            .values_list("name", flat=True)
        )
    assert names.index("Revision") < names.index("Kansli")


def test_cost_line_delete_removes_sub_lines(ostra, forbund_a, alice):
    with tenant_scope(forbund_a):
        services.cost_line_delete(
            forbund=forbund_a, actor=alice, cost_line=_lines(ostra, "Åtgärder individ och struktur")
        )
        assert CostLine.objects.filter(forbund=forbund_a, budget=ostra).count() == 6


def test_income_line_create_update_move_delete(ostra, forbund_a, alice):
    with tenant_scope(forbund_a):
        line = services.income_line_create(
            forbund=forbund_a,
            actor=alice,
            budget=ostra,
            kind=IncomeKind.EXTERN_MEDFINANSIERING,
            name="ESF",
            amount=100,
        )
        services.income_line_update(forbund=forbund_a, actor=alice, income_line=line, amount=200)
        services.income_line_move(forbund=forbund_a, actor=alice, income_line=line, up=True)
        line.refresh_from_db()
        assert line.amount == 200 and line.position == 1
        services.income_line_delete(forbund=forbund_a, actor=alice, income_line=line)
        assert not IncomeLine.objects.filter(forbund=forbund_a, name="ESF").exists()


def test_income_line_refuses_negative_amount(ostra, forbund_a, alice):
    with tenant_scope(forbund_a), pytest.raises(ValidationError):
        services.income_line_create(
            forbund=forbund_a, actor=alice, budget=ostra, kind=IncomeKind.OVRIGT, name="Minus", amount=-5
        )


def test_long_term_refuses_year_outside_two_following(ostra, forbund_a, alice):
    with tenant_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.long_term_year_set(
            forbund=forbund_a, actor=alice, budget=ostra, year=2026, state_change_percent=Decimal("-10")
        )
    assert "Långtidsbudgeten gäller 2024 och 2025" in exc.value.message_dict["year"][0]


def test_long_term_override_cleared_when_empty(ostra, forbund_a, alice):
    with tenant_scope(forbund_a):
        kansli = _lines(ostra, "Kansli")
        kwargs = {"forbund": forbund_a, "actor": alice, "budget": ostra, "year": 2024}
        services.long_term_year_set(state_change_percent=Decimal("-5"), overrides={kansli: 1}, **kwargs)
        assert LongTermCost.objects.filter(forbund=forbund_a).count() == 1
        services.long_term_year_set(state_change_percent=Decimal("-5"), overrides={kansli: None}, **kwargs)
        assert LongTermCost.objects.filter(forbund=forbund_a).count() == 0


def test_long_term_refuses_a_line_of_another_budget(ostra, forbund_a, alice):
    with tenant_scope(forbund_a):
        later = services.budget_create(forbund=forbund_a, actor=alice, year=2024, input_amount=1)
        other = services.cost_line_create(
            forbund=forbund_a, actor=alice, budget=later, name="Annan", amount=1
        )
        with pytest.raises(ValidationError) as exc:
            services.long_term_year_set(
                forbund=forbund_a,
                actor=alice,
                budget=ostra,
                year=2024,
                state_change_percent=Decimal("-10"),
                overrides={other: 1},
            )
    assert "Bara budgetens egna rader" in exc.value.messages[0]


def test_budget_delete_removes_lines(ostra, forbund_a, forbund_b, alice):
    with tenant_scope(forbund_a):
        services.budget_delete(forbund=forbund_a, actor=alice, budget=ostra)
        assert not CostLine.objects.filter(forbund=forbund_a).exists()
    with tenant_scope(forbund_b):
        assert CostLine.objects.filter(forbund=forbund_b).count() == 1


def test_services_record_actor_in_history(ostra, forbund_a, alice):
    import pghistory.models

    with tenant_scope(forbund_a):
        services.budget_update(forbund=forbund_a, actor=alice, budget=ostra, notes="Ny kommentar")
        # Contexts are under RLS like the events: read them in the förbund's scope.
        recorded = pghistory.models.Context.objects.filter(metadata__user=alice.pk).exists()
    assert recorded
