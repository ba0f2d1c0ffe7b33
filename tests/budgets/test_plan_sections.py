"""The budget's data sections in the plan: JSON, web view, freezing at adoption, queries."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from apps.budgets import plan_sections, services
from apps.budgets.models import CostLine
from apps.insatser.models import InsatsYear
from apps.plans import datasections
from apps.plans import services as plan_services
from apps.tenancy.scope import tenant_scope

from .conftest import build_ostra_2023

NB = "\u00a0"


def render(forbund, key, year=2023):
    with tenant_scope(forbund):
        return datasections.render_data(key, forbund, year)


def make_version(forbund, actor, year=2023):
    with tenant_scope(forbund):
        return plan_services.plan_create(forbund=forbund, actor=actor, year=year).versions.get()


def adopt(version, actor):
    with tenant_scope(version.forbund):
        plan_services.version_send_to_remiss(forbund=version.forbund, version=version, actor=actor)
        plan_services.version_adopt(
            forbund=version.forbund,
            version=version,
            actor=actor,
            adopted_on=datetime.date(2022, 11, 30),
            decision_paragraph="§ 45",
        )


def page(client, user, version):
    client.force_login(user)
    response = client.get(f"/f/{version.forbund.slug}/plan/v/{version.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_budget_and_langtidsbudget_are_registered():
    assert datasections.get("budget").template_name == "budgets/plan_budget.html"
    assert datasections.get("langtidsbudget").template_name == "budgets/plan_langtidsbudget.html"
    assert ("budget", "Budget") in datasections.choices()


def test_budget_data_has_the_golden_totals(ostra, forbund_a):
    data = render(forbund_a, "budget")
    assert data["income"]["driftsbidrag"] == 17_282_000
    assert data["income"]["total"] == 18_861_000
    assert data["costs"]["total"] == 18_861_000
    assert data["result"] == 0
    assert data["balanced"] is True
    kommuner = [p["amount"] for p in data["income"]["parts"] if p["kind"] == "kommun"]
    assert sum(kommuner) == 4_320_500


def test_budget_data_has_account_codes_and_insats_sub_lines(ostra, forbund_a):
    rows = render(forbund_a, "budget")["costs"]["rows"]
    assert rows[0]["label"] == "(101) Åtgärder individ och struktur"
    assert rows[0]["amount"] == 14_433_000 and rows[0]["has_children"]
    subs = [(r["insats"], r["amount"], r["depth"]) for r in rows[1:8]]
    assert subs[0] == ("Finspång", 1_386_000, 1)
    assert subs[1] == ("Norrköping", 8_257_000, 1)
    assert [r["label"] for r in rows[8:]][-1] == "(112) Finansiella kostnader"


def test_budget_data_is_json_serialisable(ostra, forbund_a):
    for key in ("budget", "langtidsbudget"):
        data = render(forbund_a, key)
        assert json.loads(json.dumps(data)) == data


def test_budget_data_eget_kapital_ratio_and_warning(forbund_a, forbund_b, alice):
    build_ostra_2023(forbund_a, alice, opening=5_809_000)
    build_ostra_2023(forbund_b, None, opening=0)
    ek = render(forbund_a, "budget")["eget_kapital"]
    assert ek == {
        "opening": 5_809_000,
        "use": 1_509_000,
        "result": 0,
        "closing": 4_300_000,
        "ratio": "24.9",
        "warning": True,
        "limit": 20,
    }
    assert render(forbund_b, "budget")["eget_kapital"]["warning"] is False


def test_langtidsbudget_data_follows_the_state_scenario(ostra, forbund_a):
    data = render(forbund_a, "langtidsbudget")
    assert [c["year"] for c in data["columns"]] == [2023, 2024, 2025]
    assert [c["state_change_percent"] for c in data["columns"]] == [None, "-10", "-10"]
    parts = {p["name"]: p["amounts"] for p in data["parts"]}
    assert parts["Försäkringskassan"] == [4_320_500, 3_888_450, 3_499_605]
    assert parts["Region Östergötland"] == [4_320_500, 3_888_450, 3_499_605]
    assert data["costs"][0]["label"] == "(101) Åtgärder individ och struktur"
    assert data["costs"][0]["amounts"] == [14_433_000] * 3


def test_budget_section_without_budget_says_so(forbund_a, ostra):
    data = render(forbund_a, "budget", year=2030)
    assert data == {"finns": False, "year": 2030}
    html = render_to_string("budgets/plan_budget.html", {"data": data})
    assert "Ingen budget är upplagd för 2030." in html
    html = render_to_string(
        "budgets/plan_langtidsbudget.html", {"data": render(forbund_a, "langtidsbudget", 2030)}
    )
    assert "ingen långtidsbudget" in html


def test_budget_template_prints_tables_with_caption_and_scope(ostra, forbund_a):
    html = render_to_string("budgets/plan_budget.html", {"data": render(forbund_a, "budget")})
    assert html.count("<caption>") == 4
    assert '<th scope="row">Summa kostnader</th>' in html
    assert '<td class="num">18\u00a0861\u00a0000\u00a0kr</td>' in html
    assert "(106) Kansli" in html
    assert "Varning" not in html


def test_langtidsbudget_template_prints_the_three_years(ostra, forbund_a):
    html = render_to_string("budgets/plan_langtidsbudget.html", {"data": render(forbund_a, "langtidsbudget")})
    assert "Långtidsbudget 2023–2025" in html
    assert '<th scope="col" class="num">2024</th>' in html
    assert "3\u00a0888\u00a0450\u00a0kr" in html and "3\u00a0499\u00a0605\u00a0kr" in html
    # One formatter for pages and PDFs: a real minus sign and a non-breaking space before %.
    assert "-10" not in html and "\u221210\u00a0% 2024" in html


def test_plan_version_page_shows_the_budget(client, ostra, forbund_a, forbund_b, alice, charlie):
    version = make_version(forbund_a, alice)
    make_version(forbund_b, charlie)
    body = page(client, alice, version)
    assert "18\u00a0861\u00a0000\u00a0kr" in body
    assert "3\u00a0499\u00a0605\u00a0kr" in body
    assert "Uppgifter saknas" not in body
    assert "Beta-kansli" not in body


def test_adopted_version_keeps_old_cost_figures(client, ostra, forbund_a, alice):
    version = make_version(forbund_a, alice)
    adopt(version, alice)
    with tenant_scope(forbund_a):
        kansli = CostLine.objects.get(budget=ostra, account_code="106")
        services.cost_line_update(forbund=forbund_a, actor=alice, cost_line=kansli, amount=4_468_000)
        revision = plan_services.version_revise(forbund=version.forbund, version=version, actor=alice)
        version.refresh_from_db()
    assert version.frozen_data["budget"]["costs"]["total"] == 18_861_000
    adopted = page(client, alice, version)
    draft = page(client, alice, revision)
    assert "18\u00a0861\u00a0000\u00a0kr" in adopted and "19\u00a0861\u00a0000\u00a0kr" not in adopted
    assert "19\u00a0861\u00a0000\u00a0kr" in draft


def test_adopted_version_keeps_old_insats_sub_line(ostra, forbund_a, alice):
    version = make_version(forbund_a, alice)
    adopt(version, alice)
    with tenant_scope(forbund_a):
        InsatsYear.objects.filter(year=2023, insats__name="Finspång").update(budget_amount=2_386_000)
        version.refresh_from_db()
    frozen = {r["label"]: r["amount"] for r in version.frozen_data["budget"]["costs"]["rows"]}
    assert frozen["Finspång"] == 1_386_000
    assert render(forbund_a, "budget")["costs"]["total"] == 19_861_000


@pytest.mark.parametrize("key", ["budget", "langtidsbudget"])
def test_renderer_query_count_is_flat(forbund_a, forbund_b, alice, key):
    def count(forbund, extra):
        with tenant_scope(forbund):
            budget = services.budget_create(forbund=forbund, actor=alice, year=2023, input_amount=1_000_000)
            parent = services.cost_line_create(forbund=forbund, actor=alice, budget=budget, name="Insatser")
            for i in range(extra):
                services.cost_line_create(
                    forbund=forbund, actor=alice, budget=budget, parent=parent, name=f"Rad {i}", amount=i
                )
                services.cost_line_create(
                    forbund=forbund, actor=alice, budget=budget, name=f"Huvudrad {i}", amount=i
                )
            with CaptureQueriesContext(connection) as ctx:
                plan_sections.render_budget(
                    forbund, 2023
                ) if key == "budget" else plan_sections.render_langtidsbudget(forbund, 2023)
        return len(ctx.captured_queries)

    assert count(forbund_a, 2) == count(forbund_b, 12)


def _counting_summary(monkeypatch):
    from apps.budgets import selectors as budget_selectors

    calls = []
    original = budget_selectors.budget_summary

    def counting(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(budget_selectors, "budget_summary", counting)
    return calls


def test_plan_document_computes_the_budget_summary_once_for_both_sections(
    ostra, forbund_a, alice, monkeypatch
):
    from apps.plans import selectors as plan_selectors
    from apps.plans.models import PlanSection, SectionKind

    version = make_version(forbund_a, alice)
    with tenant_scope(forbund_a):
        keys = set(
            PlanSection.objects.filter(version=version, kind=SectionKind.DATA).values_list(
                "data_key", flat=True
            )
        )
        assert {"budget", "langtidsbudget"} <= keys
        calls = _counting_summary(monkeypatch)
        document = plan_selectors.version_document(version=version)
    data = {s.section.data_key: s.data for s in document.sections if s.section.kind == SectionKind.DATA}
    assert len(calls) == 1
    assert data["budget"]["costs"]["total"] == 18_861_000
    assert data["langtidsbudget"]["columns"][0]["year"] == 2023


def test_budget_section_rendered_again_recomputes(ostra, forbund_a, monkeypatch):
    calls = _counting_summary(monkeypatch)
    with tenant_scope(forbund_a):
        first = plan_sections.render_budget(forbund_a, 2023)
        again = plan_sections.render_budget(forbund_a, 2023)
    assert len(calls) == 2
    assert again == first


def test_langtidsbudget_after_a_change_shows_the_change(ostra, forbund_a, alice):
    # Outside a plan document nothing is shared: a budget read before a change is never reused.
    with tenant_scope(forbund_a):
        before = plan_sections.render_budget(forbund_a, 2023)
        line = CostLine.objects.filter(
            forbund=forbund_a, budget__year=2023, parent=None, children__isnull=True, amount__gt=0
        ).first()
        services.cost_line_update(forbund=forbund_a, actor=alice, cost_line=line, amount=line.amount + 1000)
        after = plan_sections.render_langtidsbudget(forbund_a, 2023)
    assert after["columns"][0]["cost_total"] == before["costs"]["total"] + 1000
