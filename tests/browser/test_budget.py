"""In the browser: the year's budget built by the förbundschef and read by the revisor.

Förbundschef creates the budget, adds an income line and cost lines (a main line with a sub-line
tied to an insats), sees the computed sums in kr and tkr; refused input shows the Swedish error
by the field and keeps what was typed. The revisor reads the same page without edit controls
and gets 403 on edit URLs. Every page visited, form errors included, passes axe-core.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from apps.budgets import services as budget_services
from apps.budgets.models import Budget, CostLine, IncomeKind
from apps.insatser import services as insatser_services
from apps.tenancy.scope import tenant_scope
from tests.budgets.conftest import make_members

from .helpers import NAV, assert_page_ok, log_in, page_problems

pytestmark = pytest.mark.browser

YEAR = datetime.date.today().year + 1
NBSP = "\u00a0"


def _label(text: str) -> re.Pattern:
    """A field's accessible name starts with its label; required fields add "(obligatoriskt)"."""
    return re.compile(rf"^{re.escape(text)}( \(obligatoriskt\))?$")


def _expect_field_error(field, message: str) -> None:
    """The error is shown and tied to the field, so a screen reader reads it with the field."""
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))


def _money(amount: str, unit: str = "kr") -> re.Pattern:
    """ "3 500 000 kr" with the non-breaking spaces the page uses."""
    return re.compile(re.escape(amount.replace(" ", NBSP) + NBSP + unit))


def _row(page, table: str, header: str):
    return page.get_by_role("table", name=re.compile(rf"^{re.escape(table)}")).get_by_role(
        "row", name=re.compile(rf"^{re.escape(header)}")
    )


@pytest.fixture
def budget_data(transactional_db, live_server, forbund_a, forbund_b, alice, bob):
    """Members and an insats with a YEAR row (budget 500 000 kr) in A; the same and a budget in B."""
    made = {}
    for forbund in (forbund_a, forbund_b):
        region = make_members(forbund)[2]
        with tenant_scope(forbund):
            insats = insatser_services.insats_create(
                forbund=forbund, actor=None, name="SamCoach", verksamhetsagare=region
            )
            insatser_services.insats_year_create(
                forbund=forbund,
                actor=None,
                insats=insats,
                year=YEAR,
                budget_amount=500_000,
                financed_fte="1.50",
            )
        made[forbund.slug] = insats
    with tenant_scope(forbund_b):
        noise = budget_services.budget_create(forbund=forbund_b, actor=None, year=YEAR, input_amount=999_000)
        budget_services.cost_line_create(
            forbund=forbund_b, actor=None, budget=noise, name="Beta-kansli", amount=5
        )
    return made


@pytest.fixture
def budget_a(budget_data, forbund_a):
    """A's budget for YEAR: 10 000 000 kr driftsbidrag, an income line, an insats line and a kansli line."""
    with tenant_scope(forbund_a):
        budget = budget_services.budget_create(
            forbund=forbund_a, actor=None, year=YEAR, input_amount=10_000_000
        )
        income = budget_services.income_line_create(
            forbund=forbund_a,
            actor=None,
            budget=budget,
            kind=IncomeKind.FINANSIELLA_INTAKTER,
            name="Finansiella intäkter",
            amount=70_000,
        )
        parent = budget_services.cost_line_create(
            forbund=forbund_a, actor=None, budget=budget, account_code="101", name="Insatser"
        )
        sub = budget_services.cost_line_create(
            forbund=forbund_a,
            actor=None,
            budget=budget,
            parent=parent,
            name="SamCoach",
            insats=budget_data["alfa"],
        )
        budget_services.cost_line_create(
            forbund=forbund_a, actor=None, budget=budget, account_code="106", name="Kansli", amount=3_000_000
        )
    return {"budget": budget, "income": income, "parent": parent, "sub": sub}


# --- 1. Förbundschef builds the budget ---------------------------------------------------------


def test_forbundschef_builds_budget_with_insats_line_and_switches_to_tkr(page, budget_data, forbund_a):
    log_in(page, "alice@alfa.se")
    page.locator(NAV).get_by_role("link", name="Budget", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget")
    assert_page_ok(page, "budget index")

    page.get_by_role("link", name="Ny budget").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny budget")
    assert_page_ok(page, "new budget")
    page.get_by_label(_label("År")).fill(str(YEAR))
    page.get_by_label(_label("Belopp som anges")).select_option(label="Årets totala driftsbidrag")
    page.get_by_label(_label("Belopp (kr)")).fill("-10000000")
    page.get_by_role("button", name="Spara").click()
    _expect_field_error(page.get_by_label(_label("Belopp (kr)")), "större än eller lika med 0")
    expect(page.get_by_label(_label("År"))).to_have_value(str(YEAR))
    expect(page.get_by_label(_label("Belopp (kr)"))).to_have_value("-10000000")
    assert_page_ok(page, "new budget with errors")
    page.get_by_label(_label("Belopp (kr)")).fill("10000000")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Budget {YEAR}")
    expect(_row(page, f"Intäkter {YEAR}", "Summa driftsbidrag")).to_contain_text(_money("10 000 000"))
    assert_page_ok(page, "budget detail, new")

    # Income: a negative amount is refused with the typed name kept.
    page.get_by_role("link", name="Ny intäktsrad").click()
    assert_page_ok(page, "new income line")
    page.get_by_label(_label("Typ")).select_option(label="Finansiella intäkter")
    page.get_by_label(_label("Benämning")).fill("Ränteintäkter")
    page.get_by_label(_label("Belopp (kr)")).fill("-5")
    page.get_by_role("button", name="Spara").click()
    _expect_field_error(page.get_by_label(_label("Belopp (kr)")), "större än eller lika med 0")
    expect(page.get_by_label(_label("Benämning"))).to_have_value("Ränteintäkter")
    assert_page_ok(page, "new income line with errors")
    page.get_by_label(_label("Belopp (kr)")).fill("70000")
    page.get_by_role("button", name="Spara").click()
    expect(_row(page, f"Intäkter {YEAR}", "Ränteintäkter")).to_contain_text(_money("70 000"))

    # A main cost line without an amount, then a sub-line tied to the insats.
    page.get_by_role("link", name="Ny kostnadsrad").click()
    assert_page_ok(page, "new cost line")
    page.get_by_label(_label("Kontokod")).fill("101")
    page.get_by_label(_label("Benämning")).fill("Insatser")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("link", name="Ny underrad till Insatser").click()
    expect(page.get_by_label(_label("Huvudrad"))).to_have_value(re.compile(r"^[0-9a-f-]{36}$"))
    page.get_by_label(_label("Benämning")).fill("SamCoach")
    page.get_by_label(_label("Insats"), exact=False).select_option(label="SamCoach")
    page.get_by_label(_label("Belopp (kr)")).fill("400000")
    page.get_by_role("button", name="Spara").click()
    _expect_field_error(page.get_by_label(_label("Belopp (kr)")), "Lämna beloppet tomt")
    expect(page.get_by_label(_label("Benämning"))).to_have_value("SamCoach")
    expect(page.get_by_label(_label("Insats"))).to_have_value(str(budget_data["alfa"].public_id))
    assert_page_ok(page, "new sub-line with errors")
    page.get_by_label(_label("Belopp (kr)")).fill("")
    page.get_by_role("button", name="Spara").click()

    page.get_by_role("link", name="Ny kostnadsrad").click()
    page.get_by_label(_label("Kontokod")).fill("106")
    page.get_by_label(_label("Benämning")).fill("Kansli")
    page.get_by_label(_label("Belopp (kr)")).fill("3000000")
    page.get_by_role("button", name="Spara").click()

    # The computed sums: the insats line reads the insats' year budget.
    costs = f"Kostnader {YEAR}"
    expect(_row(page, costs, "varav SamCoach")).to_contain_text(_money("500 000"))
    expect(_row(page, costs, "(101) Insatser")).to_contain_text(_money("500 000"))
    expect(_row(page, costs, "Summa kostnader")).to_contain_text(_money("3 500 000"))
    expect(_row(page, f"Intäkter {YEAR}", "Summa intäkter")).to_contain_text(_money("10 070 000"))
    expect(_row(page, f"Resultat {YEAR}", "Årets resultat")).to_contain_text(_money("6 570 000"))
    assert_page_ok(page, "budget detail with lines")

    page.get_by_role("navigation", name="Visning av belopp").get_by_role("link", name="tkr").click()
    expect(_row(page, costs, "Summa kostnader")).to_contain_text(_money("3 500", "tkr"))
    expect(_row(page, f"Resultat {YEAR}", "Årets resultat")).to_contain_text(_money("6 570", "tkr"))
    assert_page_ok(page, "budget detail in tkr")

    with tenant_scope(forbund_a):
        budget = Budget.objects.get(forbund=forbund_a, year=YEAR)
        sub = CostLine.objects.get(forbund=forbund_a, budget=budget, name="SamCoach")
        assert sub.amount is None and sub.insats_id == budget_data["alfa"].pk
        assert sub.parent.name == "Insatser"


# --- 2. The revisor reads, and cannot edit -----------------------------------------------------

EDIT_CONTROLS = (
    "main form[method=post], main form[method=POST], main [hx-post], main [hx-delete],"
    ' main a[href*="/ny/"], main a[href*="/andra/"], main a[href*="/ta-bort/"], main a[href*="/installningar/"],'
    ' main a[href*="/langtid/"]'
)
EDIT_BUTTONS = re.compile("Spara|Lägg till|Flytta|Ta bort|Ändra|Ny ")


def test_revisor_reads_budget_without_edit_controls(page, budget_a):
    log_in(page, "bob@alfa.se")
    page.locator(NAV).get_by_role("link", name="Budget", exact=True).click()
    expect(page.get_by_role("link", name="Ny budget")).to_have_count(0)
    assert_page_ok(page, "budget index as revisor")

    page.get_by_role("link", name=f"Budget {YEAR}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Budget {YEAR}")
    expect(_row(page, f"Kostnader {YEAR}", "Summa kostnader")).to_contain_text(_money("3 500 000"))
    found = page.locator(EDIT_CONTROLS).evaluate_all("els => els.map(e => e.outerHTML.slice(0, 120))")
    found += page.locator("main").get_by_role("button", name=EDIT_BUTTONS).all_inner_texts()
    found += page.locator("main").get_by_role("link", name=EDIT_BUTTONS).all_inner_texts()
    assert not found, f"Edit controls shown to the revisor: {found}"
    assert_page_ok(page, "budget detail as revisor")


def test_revisor_gets_swedish_403_on_budget_edit_urls(page, budget_a):
    log_in(page, "bob@alfa.se")
    urls = {
        "create": "/f/alfa/budget/ny/",
        "settings": f"/f/alfa/budget/{YEAR}/installningar/",
        "income-create": f"/f/alfa/budget/{YEAR}/intakter/ny/",
        "income-edit": f"/f/alfa/budget/intakter/{budget_a['income'].public_id}/andra/",
        "cost-create": f"/f/alfa/budget/{YEAR}/kostnader/ny/",
        "cost-edit": f"/f/alfa/budget/kostnader/{budget_a['sub'].public_id}/andra/",
        "long-term": f"/f/alfa/budget/{YEAR}/langtid/{YEAR + 1}/",
    }
    problems: list[str] = []
    for which, url in urls.items():
        response = page.goto(url)
        status = response.status if response else None
        heading = page.get_by_role("heading", level=1).inner_text()
        if status != 403 or heading != "Åtkomst nekad":
            problems.append(f"{which}: HTTP {status} with h1 {heading!r}, expected 403 Åtkomst nekad")
        problems += page_problems(page, f"403 {which}")
    assert not problems, "Budget edit URLs opened by the revisor:\n" + "\n".join(problems)
