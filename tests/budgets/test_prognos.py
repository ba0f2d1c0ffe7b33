"""Follow-up figures: monthly budget split, tertials, year so far, prognosis and override, indicators."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.budgets import services as budget_services
from apps.budgets.indicators import INDICATORS, indicator_costs_within_budget, indicator_equity_ratio
from apps.budgets.utfall import services
from apps.budgets.utfall.selectors import chart, followup, monthly_budget
from apps.core.formatting import format_kronor
from apps.tenancy.scope import tenant_scope

from .utfall_fixtures import line, setup_mapped

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped(ostra, forbund_a, forbund_b, alice):
    """Östra 2023 in A with account mappings, and B's noise budget, mapping and import."""
    return setup_mapped(ostra, forbund_a, forbund_b, alice)


KANSLI_Q1 = "Konto;År;Månad;Belopp\n5010;2023;1;280000\n5010;2023;2;300000\n5010;2023;3;290000\n"


def _import(forbund, actor, text):
    with tenant_scope(forbund):
        job = services.utfall_import_create(
            forbund=forbund, actor=actor, year=2023, filename="u.csv", content=text.encode()
        )
        result = services.utfall_import_confirm(forbund=job.forbund, actor=actor, utfall_import=job)
    assert not result.has_errors
    return job


def _row(follow, name):
    return next(r for r in follow.cost_lines if r.line.name == name)


def _follow(forbund):
    with tenant_scope(forbund):
        return followup(forbund=forbund, year=2023)


def test_monthly_budget_adds_up_with_largest_remainder():
    months = monthly_budget(250_000)
    assert sum(months) == 250_000
    assert months[:5] == [20_834, 20_834, 20_834, 20_834, 20_833]


def test_tertial_budgets_add_up_to_the_year(mapped, forbund_a):
    revision = _row(_follow(forbund_a), "Revision")
    assert [p.budget for p in revision.tertials] == [83_336, 83_332, 83_332]


def test_tertial_utfall_and_deviation(mapped, forbund_a, alice):
    _import(forbund_a, alice, KANSLI_Q1 + "5010;2023;5;100\n")
    kansli = _row(_follow(forbund_a), "Kansli")
    t1, t2, t3 = kansli.tertials
    assert (t1.budget, t1.utfall, t1.deviation) == (1_156_000, 870_000, -286_000)
    assert t1.deviation_percent == Decimal("-24.7")
    assert (t2.utfall, t3.utfall) == (100, 0)


def test_year_so_far_runs_to_the_last_month_with_data(mapped, forbund_a, alice):
    _import(forbund_a, alice, KANSLI_Q1 + "6420;2023;1;20000\n")
    follow = _follow(forbund_a)
    kansli = _row(follow, "Kansli")
    assert follow.months_with_data == 3
    assert (kansli.so_far.budget, kansli.so_far.utfall) == (867_000, 870_000)
    assert kansli.so_far.deviation_percent == Decimal("0.3")


def test_parent_line_sums_its_sub_lines(mapped, forbund_a, alice):
    _import(forbund_a, alice, "Konto;År;Månad;Belopp\n4010;2023;1;100\n4020;2023;1;50\n")
    parent = _row(_follow(forbund_a), "Åtgärder individ och struktur")
    assert parent.so_far.utfall == 150
    assert parent.annual == 14_433_000


def test_prognosis_projects_utfall_to_twelve_months(mapped, forbund_a, alice):
    _import(forbund_a, alice, KANSLI_Q1)
    kansli = _row(_follow(forbund_a), "Kansli")
    assert kansli.projection == 3_480_000
    assert kansli.prognosis == 3_480_000
    assert kansli.prognosis_deviation == 12_000


def test_prognosis_rounds_half_up(mapped, forbund_a, alice):
    _import(forbund_a, alice, "Konto;År;Månad;Belopp\n6420;2023;1;1\n6420;2023;7;0\n5010;2023;7;1\n")
    # Revision: 1 kr in 7 months -> 12/7 = 1.71 -> 2
    assert _row(_follow(forbund_a), "Revision").projection == 2


def test_prognosis_without_utfall_is_the_budget(mapped, forbund_a):
    follow = _follow(forbund_a)
    assert follow.months_with_data == 0
    assert _row(follow, "Kansli").prognosis == 3_468_000
    assert follow.cost_total.prognosis == 18_861_000


def test_prognosis_override_replaces_projection_with_comment(mapped, forbund_a, alice):
    _import(forbund_a, alice, KANSLI_Q1)
    with tenant_scope(forbund_a):
        services.prognosis_override_set(
            forbund=forbund_a,
            actor=alice,
            year=2023,
            cost_line=line(forbund_a, "Kansli"),
            amount=3_500_000,
            comment="Ny tjänst från hösten",
        )
    kansli = _row(_follow(forbund_a), "Kansli")
    assert kansli.prognosis == 3_500_000
    assert kansli.override.comment == "Ny tjänst från hösten"
    assert kansli.projection == 3_480_000


def test_prognosis_override_set_twice_updates_the_same_row(mapped, forbund_a, alice):
    with tenant_scope(forbund_a):
        for amount in (1, 2):
            services.prognosis_override_set(
                forbund=forbund_a,
                actor=alice,
                year=2023,
                cost_line=line(forbund_a, "Kansli"),
                amount=amount,
                comment="x",
            )
    assert _row(_follow(forbund_a), "Kansli").prognosis == 2


def test_prognosis_override_needs_a_comment(mapped, forbund_a, alice):
    with pytest.raises(ValidationError) as exc, tenant_scope(forbund_a):
        services.prognosis_override_set(
            forbund=forbund_a,
            actor=alice,
            year=2023,
            cost_line=line(forbund_a, "Kansli"),
            amount=1,
            comment=" ",
        )
    assert "comment" in exc.value.message_dict


def test_prognosis_override_clear_goes_back_to_projection(mapped, forbund_a, alice):
    _import(forbund_a, alice, KANSLI_Q1)
    with tenant_scope(forbund_a):
        override = services.prognosis_override_set(
            forbund=forbund_a,
            actor=alice,
            year=2023,
            cost_line=line(forbund_a, "Kansli"),
            amount=1,
            comment="x",
        )
        services.prognosis_override_clear(forbund=forbund_a, actor=alice, prognosis_override=override)
    assert _row(_follow(forbund_a), "Kansli").prognosis == 3_480_000


def test_noise_forbund_utfall_is_not_counted(mapped, forbund_a):
    follow = _follow(forbund_a)
    assert follow.cost_total.so_far.utfall == 0
    assert "Beta-kansli" not in [r.label for r in follow.cost_lines]


def test_chart_has_a_bar_for_budget_and_utfall_per_tertial(mapped, forbund_a, alice):
    _import(forbund_a, alice, KANSLI_Q1)
    figure = chart(_follow(forbund_a))
    assert [name for name, _ in figure["periods"]] == ["T1", "T2", "T3"]
    # pygal draws one bar per series and tertial; the text alternative names the figures.
    assert figure["chart"].svg.count('class="rect reactive tooltip-trigger"') == 6
    t1 = figure["periods"][0][1]
    assert t1.utfall == 870_000
    assert f"T1: budget {format_kronor(t1.budget)}, utfall 870\u00a0000\u00a0kr" in figure["chart"].alt


def test_indicator_costs_within_budget_met(mapped, forbund_a, alice):
    _import(forbund_a, alice, KANSLI_Q1)
    with tenant_scope(forbund_a):
        result = indicator_costs_within_budget(forbund=forbund_a, year=2023, until_month=3)
    assert result.met is True
    assert result.value == 870_000 - 4_715_250
    assert "januari–mars 2023" in result.explanation
    assert "överstiger inte budgetramen" in result.explanation


def test_indicator_costs_within_budget_not_met(mapped, forbund_a, alice):
    _import(forbund_a, alice, "Konto;År;Månad;Belopp\n5010;2023;1;2000000\n")
    with tenant_scope(forbund_a):
        result = indicator_costs_within_budget(forbund=forbund_a, year=2023, until_month=1)
    assert result.met is False
    assert result.value == 2_000_000 - 1_571_750


def test_indicator_without_budget_cannot_be_computed(mapped, forbund_a):
    with tenant_scope(forbund_a):
        result = indicator_costs_within_budget(forbund=forbund_a, year=2030, until_month=4)
    assert result.met is None


def test_indicator_equity_ratio_met(mapped, forbund_a, alice):
    with tenant_scope(forbund_a):
        budget_services.budget_update(
            forbund=forbund_a, actor=alice, budget=mapped, eget_kapital_opening=4_000_000
        )
        result = indicator_equity_ratio(forbund=forbund_a, year=2023, max_percent=20)
    assert result.met is True
    assert result.value == Decimal("14.4")  # 2 491 000 of 17 282 000


def test_indicator_equity_ratio_not_met_when_costs_run_low(mapped, forbund_a, alice):
    _import(forbund_a, alice, KANSLI_Q1)
    with tenant_scope(forbund_a):
        result = indicator_equity_ratio(forbund=forbund_a, year=2023, max_percent=20)
    assert result.met is False
    assert result.value == Decimal("80.3")  # 13 872 000 of 17 282 000
    assert "mer än 20" in result.explanation


def test_indicators_are_registered():
    assert set(INDICATORS) == {"costs_within_budget", "equity_ratio"}
