"""budget_summary: the computed budget, with the seeds' golden figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from apps.budgets import selectors, services
from apps.budgets.models import IncomeKind, KommunSplit, StateSplit
from apps.insatser.models import InsatsYear
from apps.members.models import Medlem
from apps.tenancy.scope import tenant_scope

from .conftest import build_ostra_2023, make_members

pytestmark = pytest.mark.django_db


def _summary(forbund, year=2023):
    with tenant_scope(forbund):
        return selectors.budget_summary(forbund=forbund, year=year)


def test_summary_ostra_2023_balances(ostra, forbund_a):
    s = _summary(forbund_a)
    assert s.cost_rows[0].amount == 14_433_000
    assert s.cost_total == 18_861_000
    assert s.income_total == 18_861_000
    assert s.driftsbidrag == 17_282_000
    assert s.result == 0
    assert s.balanced


def test_summary_ostra_2023_member_parts(ostra, forbund_a):
    s = _summary(forbund_a)
    assert [(p.name, p.amount) for p in s.parts[:3]] == [
        ("Försäkringskassan", 4_320_500),
        ("Arbetsförmedlingen", 4_320_500),
        ("Region Östergötland", 4_320_500),
    ]
    kommun = [p.amount for p in s.parts if p.kind == "kommun"]
    assert sum(kommun) == 4_320_500
    assert kommun == [501_227, 3_307_879, 335_991, 175_403]


def test_summary_insats_line_reads_insats_year(ostra, forbund_a):
    s = _summary(forbund_a)
    children = {row.line.name: row.amount for row in s.cost_rows[0].children}
    assert children["Norrköping"] == 8_257_000
    assert children["Finspång"] == 1_386_000  # not B's 777 777


def test_summary_follows_changed_insats_budget(ostra, forbund_a):
    with tenant_scope(forbund_a):
        InsatsYear.objects.filter(forbund=forbund_a, year=2023, insats__name="Metodutveckling").update(
            budget_amount=150_000
        )
    s = _summary(forbund_a)
    assert s.cost_total == 18_911_000
    assert s.result == -50_000
    assert not s.balanced


def test_summary_ostra_long_term_minus_ten_percent(ostra, forbund_a):
    s = _summary(forbund_a)
    assert [c.year for c in s.long_term] == [2023, 2024, 2025]
    assert [p.amount for p in s.long_term[1].parts[:3]] == [3_888_450] * 3
    assert [p.amount for p in s.long_term[2].parts[:3]] == [3_499_605] * 3
    assert sum(p.amount for p in s.long_term[1].parts) == 15_553_800


def test_summary_long_term_overrides_and_scenario(ostra, forbund_a, alice):
    with tenant_scope(forbund_a):
        kansli = next(line for line in ostra.cost_lines.all() if line.account_code == "106")
        services.long_term_year_set(
            forbund=forbund_a,
            actor=alice,
            budget=ostra,
            year=2024,
            state_change_percent=Decimal("0"),
            eget_kapital_use=1_600_000,
            overrides={kansli: 3_000_000},
        )
    s = _summary(forbund_a)
    col = s.long_term[1]
    assert col.state == 8_641_000
    assert col.income_total == 17_282_000 + 1_600_000
    assert col.cost_total == 18_861_000 - 468_000
    assert [p.amount for p in s.long_term[2].parts[:3]] == [3_888_450] * 3


def test_summary_eget_kapital_closing_and_ratio(forbund_a, forbund_b):
    build_ostra_2023(forbund_a, year=2023, opening=5_000_000)
    build_ostra_2023(forbund_b, year=2023, opening=1)
    s = _summary(forbund_a)
    assert s.eget_kapital_use == 1_509_000
    assert s.eget_kapital_closing == 3_491_000
    assert s.eget_kapital_ratio == Decimal("20.2")
    assert s.eget_kapital_warning


def test_summary_eget_kapital_at_twenty_percent_no_warning(forbund_a, forbund_b):
    opening = 1_509_000 + 3_456_400  # closing exactly 20 % of 17 282 000
    build_ostra_2023(forbund_a, year=2023, opening=opening)
    build_ostra_2023(forbund_b, year=2023, opening=opening + 1)
    s = _summary(forbund_a)
    assert s.eget_kapital_closing == 3_456_400
    assert s.eget_kapital_ratio == Decimal("20.0")
    assert not s.eget_kapital_warning
    assert _summary(forbund_b).eget_kapital_warning


def _solleftea(forbund, year, kansli, styrelse):
    make_members(forbund, kommuner=[("Sollefteå kommun", 19_000)])
    with tenant_scope(forbund):
        budget = services.budget_create(
            forbund=forbund,
            actor=None,
            year=year,
            input_mode="state",
            input_amount=1_416_000,
            state_split=StateSplit.FK_AF,
        )
        parent = services.cost_line_create(
            forbund=forbund, actor=None, budget=budget, name="Styrelse och kansli"
        )
        services.cost_line_create(
            forbund=forbund, actor=None, budget=budget, parent=parent, name="Kansli", amount=kansli
        )
        services.cost_line_create(
            forbund=forbund, actor=None, budget=budget, parent=parent, name="Styrelse", amount=styrelse
        )
        services.cost_line_create(
            forbund=forbund, actor=None, budget=budget, name="Övriga finansiella kostnader", amount=5_000
        )
    return budget


def test_summary_solleftea_2025_shows_687000_and_unallocated(forbund_a, forbund_b):
    _solleftea(forbund_a, 2025, 622_000, 65_000)
    _solleftea(forbund_b, 2025, 667_000, 65_000)
    s = _summary(forbund_a, 2025)
    assert [p.amount for p in s.parts] == [708_000] * 4
    assert s.income_total == 2_832_000
    assert s.cost_rows[0].amount == 687_000
    assert s.cost_total == 692_000
    assert s.result == 2_140_000
    assert s.unallocated == 2_140_000
    assert not s.balanced


def test_summary_solleftea_2024_balances_with_reserve(forbund_a, forbund_b):
    _solleftea(forbund_a, 2024, 667_000, 65_000)
    _solleftea(forbund_b, 2024, 1, 1)
    with tenant_scope(forbund_a):
        budget = selectors.budget_get(forbund=forbund_a, year=2024)
        insatser = services.cost_line_create(
            forbund=forbund_a, actor=None, budget=budget, name="Kostnader för insatser"
        )
        services.cost_line_create(
            forbund=forbund_a, actor=None, budget=budget, parent=insatser, name="Insatser", amount=1_085_000
        )
        services.cost_line_create(
            forbund=forbund_a,
            actor=None,
            budget=budget,
            parent=insatser,
            name="Ointecknade medel",
            amount=1_010_000,
            is_reserve=True,
        )
    s = _summary(forbund_a, 2024)
    assert s.cost_total == 2_095_000 + 732_000 + 5_000
    assert s.result == 0
    assert s.unallocated == 1_010_000


def test_summary_fixed_shares_vastra(forbund_a, forbund_b):
    shares = [
        ("Linköping", "48.1"),
        ("Motala", "31.7"),
        ("Mjölby", "8.3"),
        ("Vadstena", "6.1"),
        ("Ödeshög", "5.8"),
    ]
    make_members(forbund_a, kommuner=[(n, None) for n, _ in shares])
    make_members(forbund_b, kommuner=[("Beta kommun", 10)])
    with tenant_scope(forbund_a):
        for name, share in shares:
            Medlem.objects.filter(forbund=forbund_a, name=name).update(share_percent=Decimal(share))
        services.budget_create(
            forbund=forbund_a,
            actor=None,
            year=2026,
            input_amount=8_584_000,
            state_split=StateSplit.ONE_LINE,
            kommun_split=KommunSplit.FIXED_SHARE,
        )
    s = _summary(forbund_a, 2026)
    assert [p.amount for p in s.parts] == [
        4_292_000,
        2_146_000,
        1_032_226,
        680_282,
        178_118,
        130_906,
        124_468,
    ]
    assert s.parts[0].name == "Staten (via Försäkringskassan)"
    assert s.warnings == []


def test_summary_warns_when_population_missing(forbund_a, forbund_b):
    make_members(forbund_a, kommuner=[("Utan folkmängd", None), ("Med", 100)])
    with tenant_scope(forbund_a):
        services.budget_create(forbund=forbund_a, actor=None, year=2024, input_amount=400)
    s = _summary(forbund_a, 2024)
    assert "Folkmängd saknas för Utan folkmängd." in s.warnings
    assert sum(p.amount for p in s.parts) == 400


def test_summary_none_for_missing_year(ostra, forbund_a):
    assert _summary(forbund_a, 2030) is None


def test_summary_income_kind_eget_kapital_counts_as_use(ostra, forbund_a):
    with tenant_scope(forbund_a):
        services.income_line_create(
            forbund=forbund_a, actor=None, budget=ostra, kind=IncomeKind.EGET_KAPITAL, name="Mer", amount=1
        )
    assert _summary(forbund_a).eget_kapital_use == 1_509_001


def _count(forbund):
    with tenant_scope(forbund), CaptureQueriesContext(connection) as ctx:
        selectors.budget_summary(forbund=forbund, year=2023)
    return len(ctx.captured_queries)


def test_summary_query_count_is_constant(ostra, forbund_a):
    before = _count(forbund_a)
    with tenant_scope(forbund_a):
        for i in range(10):
            services.cost_line_create(forbund=forbund_a, actor=None, budget=ostra, name=f"Rad {i}", amount=i)
            services.income_line_create(
                forbund=forbund_a, actor=None, budget=ostra, kind=IncomeKind.OVRIGT, name=f"I {i}", amount=i
            )
    assert _count(forbund_a) == before


def test_budget_tables_render_read_only_in_tkr(ostra, forbund_a):
    with tenant_scope(forbund_a):
        summary = selectors.budget_summary(forbund=forbund_a, year=2023)
        assert selectors.budget_summary(forbund=forbund_a, year=2031) is None
        html = render_to_string(
            "budgets/_budget_tables.html", {"summary": summary, "visning": "tkr", "h": 3, "edit": False}
        )
    assert '<h3 id="rubrik-intakter">Intäkter 2023</h3>' in html
    assert "14\u00a0433\u00a0tkr" in html
    assert "Ändra" not in html
    assert "Långtidsbudget 2023–2025" in html
