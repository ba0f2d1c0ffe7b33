"""Långtidsbudget per sub-line: a later year may give each sub-line its amount, the main line their sum."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.budgets import plan_sections, selectors, services
from apps.budgets.models import CostLine, StateSplit
from apps.tenancy.scope import tenant_scope

from .conftest import make_members

NB = "\u00a0"
URL = "/f/alfa/budget/2024/langtid/2025/"


def _solleftea(forbund):
    """Sollefteå 2024's cost tree: insatser with a reserve, styrelse och kansli, financial costs."""
    make_members(forbund, kommuner=[("Sollefteå kommun", 19_000)])
    with tenant_scope(forbund):
        budget = services.budget_create(
            forbund=forbund,
            actor=None,
            year=2024,
            input_mode="state",
            input_amount=1_416_000,
            state_split=StateSplit.FK_AF,
        )
        add = lambda **kw: services.cost_line_create(forbund=forbund, actor=None, budget=budget, **kw)  # noqa: E731
        insatser = add(name="Kostnader för insatser")
        add(parent=insatser, name="SamCoach", amount=1_085_000)
        add(parent=insatser, name="Ointecknade medel", amount=1_010_000, is_reserve=True)
        kansli_main = add(name="Styrelse och kansli")
        add(parent=kansli_main, name="Kansli", amount=667_000)
        add(parent=kansli_main, name="Styrelse", amount=65_000)
        add(name="Övriga finansiella kostnader", amount=5_000)
    return budget


@pytest.fixture
def solleftea(forbund_a, forbund_b):
    _solleftea(forbund_b)  # noise with the same names and its own overrides
    with tenant_scope(forbund_b):
        budget_b = selectors.budget_get(forbund=forbund_b, year=2024)
        _set(forbund_b, budget_b, 2025, {"Kansli": 1})
    return _solleftea(forbund_a)


def _line(forbund, name):
    return CostLine.objects.get(forbund=forbund, name=name)


def _set(forbund, budget, year, amounts):
    with tenant_scope(forbund):
        overrides = {_line(forbund, name): amount for name, amount in amounts.items()}
        services.long_term_year_set(
            forbund=forbund,
            actor=None,
            budget=budget,
            year=year,
            state_change_percent=Decimal("0"),
            overrides=overrides,
        )


def _column(forbund, year):
    with tenant_scope(forbund):
        summary = selectors.budget_summary(forbund=forbund, year=2024)
    return summary, next(c for c in summary.long_term if c.year == year)


def test_long_term_sub_lines_set_make_the_main_line_their_sum(solleftea, forbund_a):
    _set(forbund_a, solleftea, 2025, {"Kansli": 622_000, "Styrelse": 65_000})
    _, column = _column(forbund_a, 2025)
    assert [(str(line), amount, edited) for line, amount, edited in column.costs] == [
        ("Kostnader för insatser", 2_095_000, False),
        ("Styrelse och kansli", 687_000, True),
        ("Övriga finansiella kostnader", 5_000, False),
    ]
    assert column.cost_total == 2_787_000


def test_long_term_one_sub_line_set_carries_its_siblings(solleftea, forbund_a):
    _set(forbund_a, solleftea, 2025, {"Kansli": 622_000})
    _, column = _column(forbund_a, 2025)
    with tenant_scope(forbund_a):
        styrelse = _line(forbund_a, "Styrelse")
    assert column.costs[1][1] == 687_000
    assert column.line_amounts[styrelse.pk] == 65_000


def test_long_term_sub_line_amounts_win_over_a_main_line_amount(solleftea, forbund_a):
    _set(forbund_a, solleftea, 2025, {"Styrelse och kansli": 1, "Kansli": 622_000})
    _, column = _column(forbund_a, 2025)
    assert column.costs[1][1] == 687_000


def test_long_term_main_line_only_leaves_sub_lines_unknown(solleftea, forbund_a):
    _set(forbund_a, solleftea, 2025, {"Styrelse och kansli": 687_000})
    summary, _ = _column(forbund_a, 2025)
    rows = {row["label"]: row["amounts"] for row in plan_sections.langtidsbudget_data(summary)["costs"]}
    assert rows["Styrelse och kansli"] == [732_000, 687_000, 732_000]
    assert rows["Kansli"] == [667_000, None, 667_000]


def test_long_term_sub_lines_reserve_set_to_zero_leaves_no_unallocated_reserve(solleftea, forbund_a):
    _set(forbund_a, solleftea, 2025, {"SamCoach": 0, "Ointecknade medel": 0})
    _, column = _column(forbund_a, 2025)
    assert column.costs[0][1] == 0
    assert column.reserve == 0


def test_plan_langtidsbudget_prints_sub_line_amounts_for_later_years(solleftea, forbund_a):
    for year in (2025, 2026):
        _set(
            forbund_a,
            solleftea,
            year,
            {"Kostnader för insatser": 0, "Kansli": 622_000, "Styrelse": 65_000},
        )
    summary, _ = _column(forbund_a, 2025)
    rows = {row["label"]: row["amounts"] for row in plan_sections.langtidsbudget_data(summary)["costs"]}
    assert rows["Styrelse och kansli"] == [732_000, 687_000, 687_000]
    assert rows["Kansli"] == [667_000, 622_000, 622_000]
    assert rows["Styrelse"] == [65_000, 65_000, 65_000]
    assert rows["SamCoach"] == [1_085_000, 0, 0]


def test_long_term_form_offers_sub_lines_under_their_main_line(client_for, alice, solleftea):
    body = client_for(alice).get(URL).content.decode()
    assert "Styrelse och kansli – Kansli (kr)" in body
    assert "Har någon underrad ett eget belopp blir raden summan av underraderna." in body


def test_long_term_form_saves_sub_line_amounts_and_shows_them_again(client_for, alice, solleftea, forbund_a):
    with tenant_scope(forbund_a):
        kansli = _line(forbund_a, "Kansli")
    client = client_for(alice)
    response = client.post(
        URL, {"state_change_percent": "0", "eget_kapital_use": "0", f"line_{kansli.public_id.hex}": "622000"}
    )
    assert response.status_code == 302
    _, column = _column(forbund_a, 2025)
    assert column.costs[1][1] == 687_000
    assert f'name="line_{kansli.public_id.hex}" value="622000"' in client.get(URL).content.decode()


def test_long_term_form_negative_sub_line_amount_is_refused_in_swedish(
    client_for, alice, solleftea, forbund_a
):
    with tenant_scope(forbund_a):
        kansli = _line(forbund_a, "Kansli")
    response = client_for(alice).post(
        URL, {"state_change_percent": "0", "eget_kapital_use": "0", f"line_{kansli.public_id.hex}": "-1"}
    )
    assert response.status_code == 400
    assert "-1" in response.content.decode()
    assert "Kontrollera att detta värde är större än eller lika med 0." in response.content.decode()
