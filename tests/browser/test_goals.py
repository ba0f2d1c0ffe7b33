"""In the browser: the year page passes axe, a delmål is added in place with htmx and moved with the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.goals.models import Delmal, Malomrade
from apps.tenancy.scope import tenant_scope
from tests.goals.factories import DelmalFactory, MalomradeFactory

from .helpers import assert_page_ok, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def year_page(transactional_db, live_server, forbund_a, forbund_b, alice, bob):
    for forbund in (forbund_a, forbund_b):
        with tenant_scope(forbund):
            malomrade = MalomradeFactory(forbund=forbund, year=2023, number=1, title="Arbete eller studier")
            DelmalFactory(malomrade=malomrade, number=1, text="Fler ska få stöd")
            MalomradeFactory(forbund=forbund, year=2023, number=2, title="Samverkan")
    return "/f/alfa/mal/2023/"


def test_year_page_passes_axe_for_forbundschef(page, year_page):
    log_in(page, "alice@alfa.se")
    page.goto(year_page)
    assert_page_ok(page, "förbundschef")


def test_year_page_passes_axe_for_revisor(page, year_page):
    log_in(page, "bob@alfa.se")
    page.goto(year_page)
    assert_page_ok(page, "revisor")


def test_delmal_added_in_place_keeps_other_typing(page, year_page, forbund_a):
    log_in(page, "alice@alfa.se")
    page.goto(year_page)
    second = page.locator("section").nth(1)
    first = page.locator("section").nth(0)
    # Something typed in another målområde's form must survive the in-place add.
    first.locator("summary").click()
    first.get_by_role("textbox", name="Delmål").fill("Halvskrivet delmål")
    second.locator("summary").click()
    second.get_by_role("textbox", name="Delmål").fill("Minst 70 % svarar på enkäten")
    second.get_by_role("combobox", name="Jämförelse").select_option("minst")
    second.get_by_role("textbox", name="Målvärde", exact=True).fill("170")
    second.get_by_role("combobox", name="Enhet", exact=True).select_option("procent")
    second.get_by_role("combobox", name="Tidpunkt").select_option("ar")
    second.get_by_role("combobox", name="Datakälla").select_option("enkat_nns")
    second.get_by_role("button", name="Lägg till delmål").click()
    expect(second.get_by_text("En procentsats ska vara mellan 0 och 100.")).to_be_visible()
    expect(second.get_by_role("textbox", name="Delmål")).to_have_value("Minst 70 % svarar på enkäten")
    second.get_by_role("textbox", name="Målvärde", exact=True).fill("70")
    second.get_by_role("button", name="Lägg till delmål").click()
    expect(second.get_by_role("row", name="2.1")).to_contain_text("minst 70 %")
    expect(second.get_by_text("Inga delmål ännu.")).to_have_count(0)
    expect(second.get_by_role("textbox", name="Delmål")).to_have_value("")
    expect(first.get_by_role("textbox", name="Delmål")).to_have_value("Halvskrivet delmål")
    assert page.url.endswith(year_page)
    assert_page_ok(page, "efter tillägg")
    with tenant_scope(forbund_a):
        assert Delmal.objects.filter(forbund=forbund_a, malomrade__number=2).count() == 1


def test_delmal_moved_down_with_the_keyboard(page, year_page, forbund_a):
    with tenant_scope(forbund_a):
        malomrade = Malomrade.objects.get(forbund=forbund_a, year=2023, number=1)
        DelmalFactory(malomrade=malomrade, number=2, text="Fler ska börja arbeta")
    log_in(page, "alice@alfa.se")
    page.goto(year_page)
    page.get_by_role("button", name="Flytta ned: delmål 1.1").focus()
    page.keyboard.press("Enter")
    first_row = page.locator("tr", has=page.locator("th", has_text=re.compile(r"^1\.1$")))
    expect(first_row).to_contain_text("Fler ska börja arbeta")
    expect(page.locator("tr", has=page.locator("th", has_text=re.compile(r"^1\.2$")))).to_contain_text(
        "Fler ska få stöd"
    )
    assert_page_ok(page, "efter flytt")
