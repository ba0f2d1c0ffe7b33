"""The follow-up's own arithmetic gives the budget page's figures (it reads less to get them).

``followup_budget`` skips the members' parts and the långtidsbudget but must give the same
lines, totals and eget kapital as ``budget_summary``; the closed-form monthly split and the
whole-number prognosis must equal the largest-remainder split and half-up rounding. The page
reads the same number of queries with more lines, sub-lines and prognoses.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.budgets import allocation
from apps.budgets import services as budget_services
from apps.budgets.models import Budget, CostLine
from apps.budgets.selectors import budget_summary
from apps.budgets.utfall import services as utfall_services
from apps.budgets.utfall.selectors import _projection, followup, followup_budget, monthly_budget
from apps.tenancy.scope import tenant_scope

from .utfall_fixtures import setup_mapped

pytestmark = pytest.mark.django_db

FIELDS = (
    "cost_total",
    "income_total",
    "driftsbidrag",
    "eget_kapital_opening",
    "eget_kapital_use",
    "eget_kapital_closing",
)


def _tree(rows, out=None):
    out = [] if out is None else out
    for row in rows:
        out.append((row.line.pk, row.amount, row.depth))
        _tree(row.children, out)
    return out


def test_followup_budget_matches_budget_summary(ostra, forbund_a, forbund_b, alice):
    setup_mapped(ostra, forbund_a, forbund_b, alice)
    with tenant_scope(forbund_a):
        full = budget_summary(forbund=forbund_a, year=2023)
        lean = followup_budget(forbund=forbund_a, year=2023)
        follow = followup(forbund=forbund_a, year=2023)
        assert followup_budget(forbund=forbund_a, year=2031) is None
    assert full is not None and lean is not None and follow is not None
    assert full.cost_total > 0 and full.driftsbidrag > 0
    for name in FIELDS:
        assert getattr(lean, name) == getattr(full, name), name
    assert [line.pk for line in lean.income_lines] == [line.pk for line in full.income_lines]
    assert _tree(lean.cost_rows) == _tree(full.cost_rows)
    assert follow.cost_total.annual == full.cost_total


@pytest.mark.parametrize("annual", [0, 1, 11, 12, 13, 250_000, 1_000_003, -1, -13, -250_001])
def test_monthly_budget_is_the_largest_remainder_split(annual):
    assert monthly_budget(annual) == allocation.largest_remainder(annual, [1] * 12)


@pytest.mark.parametrize("so_far", [0, 1, 5, 7, 999_999, -1, -5, -7, 1_234_567])
@pytest.mark.parametrize("months", [0, 1, 2, 3, 5, 7, 11, 12])
def test_projection_rounds_half_up_like_allocation(so_far, months):
    expected = 42 if months == 0 else allocation.round_half_up(Fraction(so_far * 12, months))
    assert _projection(so_far, months, 42) == expected


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_followup_page_query_count_flat_as_lines_grow(client, ostra, forbund_a, forbund_b, alice):
    setup_mapped(ostra, forbund_a, forbund_b, alice)
    client.force_login(alice)
    url = "/f/alfa/budget/2023/uppfoljning/"
    small = _queries(client, url)
    with tenant_scope(forbund_a):
        budget = Budget.objects.get(forbund=forbund_a, year=2023)
        for i in range(4):
            parent = budget_services.cost_line_create(
                forbund=forbund_a, actor=None, budget=budget, name=f"Extra {i}", amount=None
            )
            for j in range(3):
                budget_services.cost_line_create(
                    forbund=forbund_a,
                    actor=None,
                    budget=budget,
                    name=f"Del {i}.{j}",
                    amount=10_000 * (j + 1),
                    parent=parent,
                )
        utfall_services.prognosis_override_set(
            forbund=forbund_a,
            actor=None,
            year=2023,
            cost_line=CostLine.objects.get(forbund=forbund_a, name="Del 0.1"),
            amount=5,
            comment="Ny bedömning",
        )
    assert _queries(client, url) == small
