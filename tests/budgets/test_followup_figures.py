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
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from apps.budgets import allocation
from apps.budgets import services as budget_services
from apps.budgets.models import Budget, CostLine, IncomeLine, PrognosisOverride, UtfallRow
from apps.budgets.selectors import budget_summary
from apps.budgets.utfall import services as utfall_services
from apps.budgets.utfall.selectors import (
    _BUDGET_FIELDS,
    _COST_FIELDS,
    _INCOME_FIELDS,
    _OVERRIDE_FIELDS,
    TERTIALS,
    Period,
    _projection,
    followup,
    followup_budget,
    monthly_budget,
)
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


def _import(forbund, lines: str):
    job = utfall_services.utfall_import_create(
        forbund=forbund,
        actor=None,
        year=2023,
        filename="utfall.csv",
        content=("Konto;År;Månad;Belopp\n" + lines).encode(),
    )
    utfall_services.utfall_import_confirm(forbund=forbund, actor=None, utfall_import=job)


def _grown_with_utfall(forbund):
    """A main line with three sub-lines (one with an account), utfall over five months on cost and
    income lines (also a negative month and a month that nets to zero), prognoses typed on a
    sub-line and an income line."""
    budget = Budget.objects.get(forbund=forbund, year=2023)
    parent = budget_services.cost_line_create(forbund=forbund, actor=None, budget=budget, name="Extra")
    subs = [
        budget_services.cost_line_create(
            forbund=forbund,
            actor=None,
            budget=budget,
            name=f"Del {j}",
            amount=10_001 * (j + 1),
            parent=parent,
        )
        for j in range(3)
    ]
    utfall_services.account_mapping_create(forbund=forbund, actor=None, accounts="7000", cost_line=subs[1])
    _import(
        forbund,
        "5010;2023;1;250000\n5010;2023;2;1000\n5010;2023;3;-500\n4010;2023;2;115500\n"
        "4020;2023;6;100\n4020;2023;6;-100\n7000;2023;3;7777\n7000;2023;5;-11\n8310;2023;2;-350\n",
    )
    utfall_services.prognosis_override_set(
        forbund=forbund, actor=None, year=2023, cost_line=subs[2], amount=5, comment="Ny bedömning"
    )
    utfall_services.prognosis_override_set(
        forbund=forbund,
        actor=None,
        year=2023,
        income_line=IncomeLine.objects.get(forbund=forbund, budget=budget, name="Finansiella intäkter"),
        amount=-7,
        comment="Lägre ränta",
    )


def test_followup_figures_equal_the_utfall_rows_summed_directly(
    ostra, forbund_a, forbund_b, alice, django_assert_num_queries
):
    """Every line's months, tertials, year so far and prognosis, from the utfall rows and the
    budget's largest-remainder split directly (what the follow-up showed before it was read in
    one prepared query), and the total's."""
    setup_mapped(ostra, forbund_a, forbund_b, alice)
    with tenant_scope(forbund_a):
        _grown_with_utfall(forbund_a)
        with django_assert_num_queries(1):
            follow = followup(forbund=forbund_a, year=2023)
        full = budget_summary(forbund=forbund_a, year=2023)
        sums = list(
            UtfallRow.objects.filter(forbund=forbund_a, year=2023)
            .values("cost_line_id", "income_line_id", "month")
            .annotate(total=Sum("amount"))
        )
        overrides = list(PrognosisOverride.objects.filter(forbund=forbund_a, year=2023))
    assert follow is not None and full is not None
    used = max((s["month"] for s in sums if s["total"]), default=0)
    assert follow.months_with_data == used == 5

    def months(key, pk):
        out = [0] * 12
        for s in sums:
            if s[key] == pk:
                out[s["month"] - 1] += int(s["total"])
        return out

    def check(row, annual, own_months, override):
        assert row.annual == annual
        assert row.months_budget == allocation.largest_remainder(annual, [1] * 12)
        assert row.months_utfall == own_months
        for period, (_, _, numbers) in zip(row.tertials, TERTIALS, strict=True):
            assert (period.budget, period.utfall) == (
                sum(row.months_budget[m - 1] for m in numbers),
                sum(own_months[m - 1] for m in numbers),
            )
        so_far = sum(own_months[:used])
        assert (row.so_far.budget, row.so_far.utfall) == (sum(row.months_budget[:used]), so_far)
        assert row.projection == allocation.round_half_up(Fraction(so_far * 12, used))
        assert row.override == override
        assert row.prognosis == (override.amount if override else row.projection)

    def with_sub_lines(cost_row):
        own = months("cost_line_id", cost_row.line.pk)
        for child in cost_row.children:
            own = [a + b for a, b in zip(own, with_sub_lines(child), strict=True)]
        return own

    flat = full.flat_cost_rows
    assert [row.line.pk for row in follow.cost_lines] == [row.line.pk for row in flat]
    by_line = {(o.cost_line_id, o.income_line_id): o for o in overrides}
    for row, cost_row in zip(follow.cost_lines, flat, strict=True):
        assert (row.depth, row.label) == (cost_row.depth, str(cost_row.line))
        check(row, cost_row.amount, with_sub_lines(cost_row), by_line.get((cost_row.line.pk, None)))
    assert [row.line.pk for row in follow.income_lines] == [line.pk for line in full.income_lines]
    for row, line in zip(follow.income_lines, full.income_lines, strict=True):
        check(row, line.amount, months("income_line_id", line.pk), by_line.get((None, line.pk)))
    top = [row for row in follow.cost_lines if row.depth == 0]
    total_months = [sum(column) for column in zip(*(row.months_utfall for row in top), strict=True)]
    assert follow.cost_total.months_utfall == total_months
    assert follow.cost_total.annual == full.cost_total
    assert follow.cost_total.prognosis == sum(row.prognosis for row in top)
    assert sum(1 for row in (*follow.cost_lines, *follow.income_lines) if row.override) == 2


def test_followup_without_utfall_has_no_months_and_budget_prognoses(ostra, forbund_a, forbund_b, alice):
    setup_mapped(ostra, forbund_a, forbund_b, alice)
    with tenant_scope(forbund_a):
        follow = followup(forbund=forbund_a, year=2023)
    assert follow is not None
    assert follow.months_with_data == 0 and follow.so_far_label == "Inget utfall ännu"
    assert all(row.prognosis == row.annual for row in (*follow.cost_lines, *follow.income_lines))
    assert all(row.so_far == Period(0, 0) for row in follow.cost_lines)


def test_followup_page_query_count_flat_for_a_reader(client, ostra, forbund_a, forbund_b, alice, bob):
    setup_mapped(ostra, forbund_a, forbund_b, alice)
    client.force_login(bob)
    url = "/f/alfa/budget/2023/uppfoljning/"
    small = _queries(client, url)
    with tenant_scope(forbund_a):
        _grown_with_utfall(forbund_a)
    assert _queries(client, url) == small


@pytest.mark.parametrize(
    ("model", "names"),
    [
        (Budget, _BUDGET_FIELDS),
        (CostLine, _COST_FIELDS),
        (IncomeLine, _INCOME_FIELDS),
        (PrognosisOverride, _OVERRIDE_FIELDS),
    ],
)
def test_followup_reads_fields_in_the_models_order(model, names):
    """The follow-up names real fields, in the model's order (as the SQL selects them)."""
    order = [f.attname for f in model._meta.concrete_fields]
    assert set(names) <= set(order)
    assert [name for name in order if name in names] == list(names)
