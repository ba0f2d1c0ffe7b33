"""In the browser: a långtidsbudget year set per sub-line, and a grant without § where the förbund
does not number its minutes. Errors are tied to their fields and every page passes axe-core."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from apps.budgets import services as budget_services
from apps.insatser import services as insatser_services
from apps.insatser.models import InsatsStatus
from apps.tenancy.scope import tenant_scope
from tests.budgets.conftest import make_members

from .helpers import assert_page_ok, log_in

pytestmark = pytest.mark.browser

YEAR = datetime.date.today().year + 1
NBSP = "\u00a0"


def _label(text: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(text)}( \(obligatoriskt\))?$")


@pytest.fixture
def kansli_budget(transactional_db, live_server, forbund_a, forbund_b, alice):
    """A's YEAR budget with "Styrelse och kansli" split in Kansli and Styrelse; B has the same."""
    for forbund in (forbund_a, forbund_b):
        make_members(forbund)
        with tenant_scope(forbund):
            budget = budget_services.budget_create(
                forbund=forbund, actor=None, year=YEAR, input_amount=2_832_000
            )
            main = budget_services.cost_line_create(
                forbund=forbund, actor=None, budget=budget, name="Styrelse och kansli"
            )
            for name, amount in (("Kansli", 667_000), ("Styrelse", 65_000)):
                budget_services.cost_line_create(
                    forbund=forbund, actor=None, budget=budget, parent=main, name=name, amount=amount
                )


def test_forbundschef_sets_a_sub_line_for_the_next_year_error_first(page, kansli_budget):
    log_in(page, "alice@alfa.se")
    page.goto(f"/f/alfa/budget/{YEAR}/langtid/{YEAR + 1}/")
    field = page.get_by_label(_label("Styrelse och kansli – Kansli (kr)"))
    assert_page_ok(page, "long-term form")
    field.fill("-1")
    page.get_by_role("button", name="Spara").click()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("större än eller lika med 0"))
    expect(field).to_have_value("-1")
    assert_page_ok(page, "long-term form with error")
    field.fill("622000")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("main")).to_contain_text(f"687{NBSP}000{NBSP}kr")
    assert_page_ok(page, "budget page after long-term save")


@pytest.fixture
def insats_in_beredning(transactional_db, live_server, forbund_a, forbund_b, alice):
    with tenant_scope(forbund_a):
        owner = make_members(forbund_a)[2]
        return insatser_services.insats_create(
            forbund=forbund_a,
            actor=None,
            name="SamCoach",
            verksamhetsagare=owner,
            status=InsatsStatus.BEREDNING,
        )


def test_forbundschef_turns_off_paragraphs_and_grants_without_one(page, insats_in_beredning):
    log_in(page, "alice@alfa.se")
    status_url = f"/f/alfa/insatser/{insats_in_beredning.public_id}/status/"
    page.goto(status_url)
    page.get_by_label(_label("Ny status")).select_option(label="Beviljad")
    page.get_by_label(_label("Beslutsdatum")).fill(f"{YEAR - 1}-11-30")
    page.get_by_role("button", name="Ändra status").click()
    paragraph = page.get_by_label(_label("Paragraf i protokollet"))
    expect(paragraph).to_have_attribute("aria-invalid", "true")
    expect(paragraph).to_have_accessible_description(re.compile("Ange paragrafen i protokollet"))
    assert_page_ok(page, "grant without paragraph refused")

    page.goto("/f/alfa/insatser/installningar/")
    page.get_by_label("Vi numrerar paragrafer i protokollen").uncheck()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_label("Vi numrerar paragrafer i protokollen")).not_to_be_checked()
    assert_page_ok(page, "insats settings saved")

    page.goto(status_url)
    expect(page.get_by_label(_label("Paragraf i protokollet"))).to_have_count(0)
    page.get_by_label(_label("Ny status")).select_option(label="Beviljad")
    page.get_by_label(_label("Beslutsdatum")).fill(f"{YEAR - 1}-11-30")
    page.get_by_role("button", name="Ändra status").click()
    expect(page.locator("main")).to_contain_text("Beviljad")
    assert_page_ok(page, "insats granted without paragraph")
