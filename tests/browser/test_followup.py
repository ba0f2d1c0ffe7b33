"""In the browser: plattformspersonal record a group's steps with the keyboard alone; the
förbundschef reads the protected statistics and enters monthly counts. Every page passes axe.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.followup.models import Bedomning, MonthlyCount
from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope

from .helpers import NAV, assert_page_ok, log_in

pytestmark = pytest.mark.browser

_FOCUS = """() => {
  const el = document.activeElement;
  return el ? {tag: el.tagName.toLowerCase(), name: el.name || '', text: (el.textContent || '').trim()} : null;
}"""


def _tab_to(page, wanted, limit: int = 80) -> dict:
    """Press Tab until the focused element matches ``wanted(info)``; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(_FOCUS)
        if info and wanted(info):
            return info
    pytest.fail("Tab never reached the wanted element", pytrace=False)


def _is_step_select(info) -> bool:
    return (
        info["tag"] == "select" and info["name"].startswith("steg-") and info["name"] not in ("steg-rater",)
    )


def test_plattformspersonal_records_steps_with_the_keyboard_alone(page, demo):
    log_in(page, "plattform@samo")
    page.locator(NAV).get_by_role("link", name="Deltagare").click()
    assert_page_ok(page, "deltagare: mina insatser")
    page.get_by_role("link", name="Plattform Norrköping").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deltagare i Plattform Norrköping")
    assert_page_ok(page, "deltagare: Plattform Norrköping")

    page.locator("body").focus()
    chosen = []
    for step in ("3", "4", "2"):
        info = _tab_to(page, _is_step_select)
        page.keyboard.press(step)  # type-to-select: "3. Arbetsförberedande"
        chosen.append((info["name"], step))
    _tab_to(page, lambda info: info["tag"] == "button" and info["text"] == "Spara stegen")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_text("Steg sparade för 3 deltagare.")).to_be_visible()
    assert_page_ok(page, "deltagare: efter sparade steg")
    forbund = Forbund.objects.get(slug="samo")
    with tenant_scope(forbund):
        saved = {
            str(row.deltagare.public_id): str(row.step.number)
            for row in Bedomning.objects.filter(forbund=forbund, date=timezone.localdate()).select_related(
                "deltagare", "step"
            )
        }
    assert saved == {name.removeprefix("steg-"): step for name, step in chosen}


def test_plattformspersonal_add_form_explains_codes(page, demo):
    log_in(page, "plattform@samo")
    page.goto("/f/samo/uppfoljning/deltagare/")
    page.get_by_role("link", name="Plattform Norrköping").click()
    page.get_by_role("link", name="Ny deltagare").click()
    assert_page_ok(page, "ny deltagare")
    page.get_by_label("Kod").fill("811228-9874")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text(re.compile("ser ut som ett personnummer"))).to_be_visible()
    assert_page_ok(page, "ny deltagare med fel")


def test_forbundschef_reads_statistics_with_small_groups_hidden(page, demo):
    log_in(page, "forbundschef@samo")
    page.locator(NAV).get_by_role("link", name="Uppföljning").click()
    assert_page_ok(page, "uppföljning (i år)")
    page.goto("/f/samo/uppfoljning/?ar=2023&period=ar")
    assert_page_ok(page, "uppföljning 2023")
    expect(page.locator("main td").filter(has_text=re.compile(r"^<5$")).first).to_be_visible()
    expect(page.locator("figure.chart img").first).to_have_attribute("alt", re.compile("Linjediagram"))
    expect(page.get_by_text("NKP23-001")).to_have_count(0)  # codes never reach the förbundschef


def test_forbundschef_enters_monthly_counts(page, demo):
    log_in(page, "forbundschef@samo")
    page.goto("/f/samo/uppfoljning/?ar=2023&period=ar")
    page.get_by_role("link", name="Uppföljningssätt och antal per insats").click()
    assert_page_ok(page, "uppföljning per insats")
    page.get_by_role("row", name=re.compile("^AF-koordinator")).get_by_role(
        "link", name="Antal per månad"
    ).click()
    page.get_by_role("link", name="Nya, aktiva och avslutade").click()
    assert_page_ok(page, "antal per månad")
    page.get_by_label("Nya i januari (kvinna)").fill("9")
    page.get_by_label("Aktiva i januari (kvinna)").fill("4")
    page.get_by_role("button", name="Spara antalen").click()
    expect(page.get_by_text("Aktiva i januari ska vara minst lika många som nya (9).")).to_be_visible()
    assert_page_ok(page, "antal per månad med fel")
    page.get_by_label("Aktiva i januari (kvinna)").fill("12")
    page.get_by_role("button", name="Spara antalen").click()
    expect(page.get_by_text("Antalen för AF-koordinator 2023 är sparade.")).to_be_visible()
    forbund = Forbund.objects.get(slug="samo")
    with tenant_scope(forbund):
        row = MonthlyCount.objects.get(
            forbund=forbund, insats__name="AF-koordinator", year=2023, month=1, kon="kvinna"
        )
    assert (row.new, row.active) == (9, 12)


def test_forbundschef_reads_surveys_and_the_survey_form(page, demo):
    log_in(page, "forbundschef@samo")
    page.goto("/f/samo/uppfoljning/enkater/?ar=2023")
    assert_page_ok(page, "enkäter 2023")
    expect(page.get_by_text("71\u00a0% (117 av 164)").first).to_be_visible()
    page.get_by_role("link", name="Ny enkät").click()
    assert_page_ok(page, "ny enkät")
