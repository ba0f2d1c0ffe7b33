"""Budgets as real plans give them: costs only, one kommun, ointecknade medel the same everywhere."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string

from apps.budgets import plan_sections, selectors, services
from apps.budgets.models import KommunSplit
from apps.members.models import Medlem, MedlemKind
from apps.tenancy.scope import tenant_scope

from .conftest import make_members


def _costs_only(forbund, year=2020):
    with tenant_scope(forbund):
        budget = services.budget_create(forbund=forbund, actor=None, year=year, input_amount=None)
        services.cost_line_create(forbund=forbund, actor=None, budget=budget, name="Kansli", amount=900_000)
        services.cost_line_create(
            forbund=forbund, actor=None, budget=budget, name="Insatser", amount=2_100_000
        )
    return budget


def _html(key, data):
    return render_to_string(f"budgets/plan_{key}.html", {"data": data})


def test_costs_only_budget_invents_no_driftsbidrag_or_member_split(forbund_a, forbund_b):
    make_members(forbund_a)
    _costs_only(forbund_a)
    _costs_only(forbund_b)
    with tenant_scope(forbund_a):
        summary = selectors.budget_summary(forbund=forbund_a, year=2020)
    assert (summary.driftsbidrag, summary.parts, summary.financing_specified) == (0, [], False)
    assert summary.cost_total == 3_000_000


def test_costs_only_result_says_financing_not_specified_not_a_deficit(forbund_a, forbund_b):
    make_members(forbund_a)
    _costs_only(forbund_a)
    _costs_only(forbund_b)
    with tenant_scope(forbund_a):
        html = _html("budget", plan_sections.render_budget(forbund_a, 2020))
    assert "inte hur de finansieras" in html
    assert "inte i balans" not in html
    assert "Årets resultat" not in html and "−3" not in html
    assert "3\u00a0000\u00a0000\u00a0kr" in html


def test_costs_only_langtidsbudget_shows_costs_without_income_or_result(forbund_a, forbund_b):
    _costs_only(forbund_a)
    _costs_only(forbund_b)
    with tenant_scope(forbund_a):
        html = _html("langtidsbudget", plan_sections.render_langtidsbudget(forbund_a, 2020))
    assert "Summa kostnader" in html
    assert "Summa intäkter" not in html and "Årets resultat" not in html


def test_one_kommun_without_population_gets_no_population_warning(forbund_a, forbund_b):
    for forbund in (forbund_a, forbund_b):
        make_members(forbund, kommuner=[("Sollefteå kommun", None)])
        with tenant_scope(forbund):
            services.budget_create(
                forbund=forbund,
                actor=None,
                year=2024,
                input_amount=2_832_000,
                kommun_split=KommunSplit.POPULATION,
            )
    with tenant_scope(forbund_a):
        summary = selectors.budget_summary(forbund=forbund_a, year=2024)
    assert summary.warnings == []
    assert {p.name: p.amount for p in summary.parts}["Sollefteå kommun"] == 708_000


def test_two_kommuner_without_population_still_warn(forbund_a):
    make_members(forbund_a, kommuner=[("A kommun", None), ("B kommun", None)])
    with tenant_scope(forbund_a):
        services.budget_create(forbund=forbund_a, actor=None, year=2024, input_amount=1_000_000)
        summary = selectors.budget_summary(forbund=forbund_a, year=2024)
    assert summary.warnings == ["Folkmängd saknas för A kommun, B kommun."]


def test_ointecknade_medel_is_the_same_in_result_and_langtidsbudget(forbund_a, forbund_b):
    for forbund in (forbund_a, forbund_b):
        with tenant_scope(forbund):
            Medlem.objects.create(forbund=forbund, name="Kommunen", kind=MedlemKind.KOMMUN)
            budget = services.budget_create(forbund=forbund, actor=None, year=2024, input_amount=3_000_000)
            parent = services.cost_line_create(forbund=forbund, actor=None, budget=budget, name="Insatser")
            services.cost_line_create(
                forbund=forbund,
                actor=None,
                budget=budget,
                parent=parent,
                name="Reserv",
                amount=800_000,
                is_reserve=True,
            )
            services.cost_line_create(
                forbund=forbund, actor=None, budget=budget, parent=parent, name="SamCoach", amount=2_000_000
            )
            services.long_term_year_set(
                forbund=forbund, actor=None, budget=budget, year=2025, state_change_percent=Decimal("0")
            )
    with tenant_scope(forbund_a):
        budget = plan_sections.render_budget(forbund_a, 2024)
        long_term = plan_sections.render_langtidsbudget(forbund_a, 2024)
    # Reserve 800 000 plus the surplus 200 000, in both sections; 2025 carries the line forward.
    assert budget["unallocated"] == 1_000_000
    assert [col["unallocated"] for col in long_term["columns"]][:2] == [1_000_000, 1_000_000]


def test_budget_index_year_picker_opens_existing_and_offers_new_year(client_for, alice, forbund_a, forbund_b):
    _costs_only(forbund_a)
    client = client_for(alice)
    page = client.get("/f/alfa/budget/").content.decode()
    assert "År med uppgifter" in page and '<option value="2020">' in page
    assert client.get("/f/alfa/budget/?ar=2020")["Location"] == "/f/alfa/budget/2020/"
    assert client.get("/f/alfa/budget/?ar=2031")["Location"] == "/f/alfa/budget/ny/?ar=2031"
    assert 'value="2031"' in client.get("/f/alfa/budget/ny/?ar=2031").content.decode()
