"""In the browser: the plan content (insatser, members and board, goals) for förbundschef and styrelse.

Förbundschef creates and edits through the forms (errors first, then a good submit), styrelse
reads the same pages without any edit control, and every page visited passes axe-core.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from apps.insatser.models import Insats, InsatsStatus, InsatsYear
from apps.members.models import MedlemKind, OrganMedlem, Styrelseledamot, Styrelsemote
from apps.tenancy.models import Role
from apps.tenancy.scope import tenant_scope
from tests.factories import MedlemFactory, MembershipFactory, UserFactory
from tests.goals.factories import DelmalFactory, MalomradeFactory
from tests.insatser.conftest import make_insats
from tests.members.factories import OrganFactory, StyrelseledamotFactory, StyrelsemoteFactory

from .helpers import NAV, assert_page_ok, log_in, page_problems, path_of

pytestmark = pytest.mark.browser

THIS_YEAR = datetime.date.today().year
STYRELSE_USER = "stina@alfa.se"


def _label(text: str) -> re.Pattern:
    """A field's accessible name starts with its label; required fields add "(obligatoriskt)"."""
    return re.compile(rf"^{re.escape(text)}( \(obligatoriskt\))?$")


@pytest.fixture
def plan(transactional_db, live_server, forbund_a, forbund_b, alice):
    """Members, board, a body, a meeting, goals and an insats in A and (noise) in B; Stina is styrelse."""
    made = {}
    for forbund in (forbund_a, forbund_b):
        with tenant_scope(forbund):
            MedlemFactory(
                forbund=forbund, name="Region Östergötland", kind=MedlemKind.REGION, population=None
            )
            kommun = MedlemFactory(forbund=forbund, name="Norrköpings kommun", population=145000)
            StyrelseledamotFactory(forbund=forbund, medlem=kommun, person_name="Anna Andersson")
            organ = OrganFactory(forbund=forbund, name="Beredningsgrupp")
            StyrelsemoteFactory(forbund=forbund, year=THIS_YEAR, month=3, items="Tertialrapport T1")
            malomrade = MalomradeFactory(
                forbund=forbund, year=THIS_YEAR, number=1, title="Arbete eller studier"
            )
            DelmalFactory(malomrade=malomrade, number=1, text="Fler ska få stöd")
            insats = make_insats(forbund, "SamCoach", years=[THIS_YEAR])
            made[forbund.slug] = {"insats": insats, "organ": organ, "malomrade": malomrade}
    stina = UserFactory(username=STYRELSE_USER)
    with tenant_scope(forbund_a):
        MembershipFactory(forbund=forbund_a, user=stina, role=Role.STYRELSE)
    return made["alfa"]


def _visit_menu(page, name: str) -> None:
    page.locator(NAV).get_by_role("link", name=name, exact=True).click()
    expect(page.locator(NAV).get_by_role("link", name=name, exact=True)).to_have_attribute(
        "aria-current", "page"
    )


def _subnav(page, name: str) -> None:
    subnav = page.get_by_role("navigation", name="Medlemmar och organisation")
    subnav.get_by_role("link", name=name, exact=True).click()
    expect(subnav.get_by_role("link", name=name, exact=True)).to_have_attribute("aria-current", "page")


def _expect_field_error(field, message: str) -> None:
    """The error is shown and tied to the field, so a screen reader reads it with the field."""
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))


# --- 1. Förbundschef: an insats from the list to beredning ------------------------------------


def test_forbundschef_creates_insats_adds_year_in_place_and_moves_it_to_beredning(page, plan, forbund_a):
    log_in(page, "alice@alfa.se")
    _visit_menu(page, "Insatser")
    expect(page.get_by_role("heading", level=1)).to_have_text("Insatser")
    assert_page_ok(page, "insatser list")

    page.get_by_role("link", name="Ny insats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny insats")
    assert_page_ok(page, "new insats")

    page.get_by_label(_label("Målgrupp")).fill("Unga vuxna 16–29 år")
    page.get_by_role("button", name="Spara").click()
    name = page.get_by_label(_label("Namn"))
    _expect_field_error(name, "Detta fält måste fyllas i.")
    expect(page.get_by_label(_label("Målgrupp"))).to_have_value("Unga vuxna 16–29 år")
    assert_page_ok(page, "new insats with errors")

    name.fill("Motivationslyftet")
    page.get_by_label(_label("Typ")).select_option(label="Strukturinriktad")
    page.get_by_label(_label("Verksamhetsägare")).select_option(label="Region Östergötland")
    page.get_by_role("checkbox", name="Norrköpings kommun").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Motivationslyftet")
    assert_page_ok(page, "insats detail")
    detail_path = path_of(page.url)

    # A refused year row: the Swedish error by the field, nothing typed lost, no navigation.
    new_row = page.locator("#ar-ny")
    new_row.get_by_label(_label("År")).fill(str(THIS_YEAR))
    new_row.get_by_label(_label("Budget (kr)")).fill("-5")
    new_row.get_by_label(_label("Finansierade heltidstjänster")).fill("1.50")
    new_row.get_by_label(_label("Budgeterad volym (deltagare)")).fill("25")
    new_row.get_by_role("button", name="Spara").click()
    budget = page.locator("#ar-ny").get_by_label(_label("Budget (kr)"))
    _expect_field_error(budget, "större än eller lika med 0")
    new_row = page.locator("#ar-ny")
    expect(new_row.get_by_label(_label("År"))).to_have_value(str(THIS_YEAR))
    expect(new_row.get_by_label(_label("Budgeterad volym (deltagare)"))).to_have_value("25")
    assert path_of(page.url) == detail_path
    assert_page_ok(page, "insats detail, year row with errors")

    budget.fill("750000")
    new_row.get_by_role("button", name="Spara").click()
    added = page.get_by_role("row", name=re.compile(rf"^{THIS_YEAR}\b"))
    expect(added).to_contain_text(re.compile(r"750\s000 kr"))
    expect(page.locator("#ar-ny").get_by_label(_label("År"))).to_have_value("")
    assert path_of(page.url) == detail_path
    assert_page_ok(page, "insats detail after adding a year")

    page.get_by_role("link", name="Ändra status").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra status för Motivationslyftet")
    assert_page_ok(page, "status transition")
    page.get_by_label(_label("Ny status")).select_option(label="Beredning")
    page.get_by_role("button", name="Ändra status").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Motivationslyftet")
    expect(page.get_by_role("definition").filter(has_text="Beredning")).to_be_visible()
    assert_page_ok(page, "insats detail in beredning")

    with tenant_scope(forbund_a):
        insats = Insats.objects.get(forbund=forbund_a, name="Motivationslyftet")
        assert insats.status == InsatsStatus.BEREDNING
        assert list(InsatsYear.objects.filter(insats=insats).values_list("year", "budget_amount")) == [
            (THIS_YEAR, 750000)
        ]


# --- 2. Förbundschef: members, board, bodies, year plan ---------------------------------------


def test_forbundschef_adds_member_with_error_first(page, plan, forbund_a):
    log_in(page, "alice@alfa.se")
    _visit_menu(page, "Medlemmar")
    assert_page_ok(page, "medlemmar")

    page.get_by_role("link", name="Lägg till medlem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny medlem")
    assert_page_ok(page, "new medlem")
    page.get_by_label(_label("Namn")).fill("Försäkringskassan")
    page.get_by_label(_label("Typ")).select_option(label="Försäkringskassan")
    population = page.get_by_label(_label("Folkmängd"))
    population.fill("1000")
    page.get_by_role("button", name="Spara").click()
    _expect_field_error(page.get_by_label(_label("Folkmängd")), "Folkmängd anges bara för en kommun.")
    expect(page.get_by_label(_label("Namn"))).to_have_value("Försäkringskassan")
    assert_page_ok(page, "new medlem with errors")

    page.get_by_label(_label("Folkmängd")).fill("")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medlemmar")
    expect(page.get_by_role("row", name=re.compile("^Försäkringskassan"))).to_be_visible()
    assert_page_ok(page, "medlemmar after adding")


def test_forbundschef_adds_board_seat(page, plan, forbund_a):
    log_in(page, "alice@alfa.se")
    _visit_menu(page, "Styrelse och organisation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Styrelse")
    assert_page_ok(page, "styrelse")

    page.get_by_role("link", name="Lägg till ledamot eller ersättare").click()
    assert_page_ok(page, "new seat")
    page.get_by_label(_label("Namn")).fill("Bertil Berg")
    page.get_by_label(_label("Representerar")).select_option(label="Region Östergötland")
    page.get_by_label(_label("Uppdrag")).select_option(label="Ledamot")
    page.get_by_label(_label("Mandatperiod från")).fill(f"{THIS_YEAR}-01-01")
    page.get_by_label(_label("Mandatperiod till")).fill(f"{THIS_YEAR - 1}-12-31")
    page.get_by_role("button", name="Spara").click()
    _expect_field_error(
        page.get_by_label(_label("Mandatperiod till")), "Mandatperioden kan inte sluta innan den börjar."
    )
    expect(page.get_by_label(_label("Namn"))).to_have_value("Bertil Berg")
    assert_page_ok(page, "new seat with errors")

    page.get_by_label(_label("Mandatperiod till")).fill(f"{THIS_YEAR + 3}-12-31")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Styrelse")
    expect(page.get_by_role("row", name=re.compile("^Region Östergötland"))).to_contain_text("Bertil Berg")
    assert_page_ok(page, "styrelse after adding")
    with tenant_scope(forbund_a):
        assert Styrelseledamot.objects.filter(forbund=forbund_a, person_name="Bertil Berg").count() == 1


def test_forbundschef_adds_organ_member_in_place(page, plan, forbund_a):
    log_in(page, "alice@alfa.se")
    _visit_menu(page, "Styrelse och organisation")
    _subnav(page, "Andra organ")
    assert_page_ok(page, "organ")
    organ_url = page.url

    section = page.get_by_role("region", name="Beredningsgrupp")
    form = section.get_by_role("group", name="Lägg till ledamot i Beredningsgrupp")
    form.get_by_label(_label("Roll")).fill("Sammankallande")
    form.get_by_role("button", name="Lägg till").click()
    _expect_field_error(section.get_by_label(_label("Namn")), "Detta fält måste fyllas i.")
    expect(section.get_by_label(_label("Roll"))).to_have_value("Sammankallande")
    assert page.url == organ_url
    assert_page_ok(page, "organ with errors")

    section.get_by_label(_label("Namn")).fill("Cecilia Ek")
    section.get_by_label(_label("Representerar")).select_option(label="Norrköpings kommun")
    section.get_by_role("button", name="Lägg till").click()
    expect(section.get_by_role("row", name=re.compile("^Cecilia Ek"))).to_contain_text("Sammankallande")
    expect(section.get_by_label(_label("Namn"))).to_have_value("")
    assert page.url == organ_url
    assert_page_ok(page, "organ after adding")
    with tenant_scope(forbund_a):
        assert OrganMedlem.objects.filter(forbund=forbund_a, person_name="Cecilia Ek").count() == 1


def test_forbundschef_adds_board_meeting(page, plan, forbund_a):
    log_in(page, "alice@alfa.se")
    _visit_menu(page, "Styrelse och organisation")
    _subnav(page, "Styrelsens årsplanering")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Styrelsens årsplanering {THIS_YEAR}")
    assert_page_ok(page, "årsplanering")

    add = page.get_by_role("link", name="Lägg till styrelsemöte")
    expect(add).to_have_attribute("href", re.compile(rf"\?ar={THIS_YEAR}$"))
    add.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt styrelsemöte")
    expect(page.get_by_label(_label("År"))).to_have_value(str(THIS_YEAR))
    assert_page_ok(page, "new meeting")
    page.get_by_label(_label("Planerade ärenden")).fill(f"Verksamhetsplan och budget {THIS_YEAR + 1}")
    page.get_by_role("button", name="Spara").click()
    _expect_field_error(page.get_by_label(_label("Månad")), "Ange ett datum eller en månad.")
    expect(page.get_by_label(_label("Planerade ärenden"))).to_have_value(
        f"Verksamhetsplan och budget {THIS_YEAR + 1}"
    )
    assert_page_ok(page, "new meeting with errors")

    page.get_by_label(_label("Månad")).select_option(label="oktober")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Styrelsens årsplanering {THIS_YEAR}")
    expect(page.get_by_role("row", name=re.compile("^Oktober"))).to_contain_text(
        f"Verksamhetsplan och budget {THIS_YEAR + 1}"
    )
    assert_page_ok(page, "årsplanering after adding")
    with tenant_scope(forbund_a):
        assert Styrelsemote.objects.filter(forbund=forbund_a, year=THIS_YEAR, month=10).count() == 1


# --- 3. Styrelse reads, and cannot edit ------------------------------------------------------

READ_PAGES = {
    "insatser": lambda plan: "/f/alfa/insatser/",
    "insats": lambda plan: f"/f/alfa/insatser/{plan['insats'].public_id}/",
    "medlemmar": lambda plan: "/f/alfa/medlemmar/",
    "styrelse": lambda plan: "/f/alfa/medlemmar/styrelse/",
    "organ": lambda plan: "/f/alfa/medlemmar/organ/",
    "arsplanering": lambda plan: "/f/alfa/medlemmar/arsplanering/",
    "mal": lambda plan: f"/f/alfa/mal/{THIS_YEAR}/",
}

EDIT_CONTROLS = (
    "main form[method=post], main form[method=POST], main [hx-post], main [hx-delete],"
    ' main a[href*="/ny/"], main a[href*="/andra/"], main a[href*="/ta-bort/"], main a[href*="/status/"],'
    ' main a[href*="/nytt-"], main [hx-get*="/andra/"]'
)
EDIT_BUTTONS = re.compile("Spara|Lägg till|Flytta|Ta bort|Ändra|Ge tillgång")


def test_styrelse_reads_pages_without_edit_controls(page, plan):
    log_in(page, STYRELSE_USER)
    problems: list[str] = []

    for which, url in READ_PAGES.items():
        response = page.goto(url(plan))
        if response is None or response.status != 200:
            problems.append(f"{which}: HTTP {response.status if response else '?'}")
            continue
        found = page.locator(EDIT_CONTROLS).evaluate_all("els => els.map(e => e.outerHTML.slice(0, 120))")
        found += page.locator("main").get_by_role("button", name=EDIT_BUTTONS).all_inner_texts()
        problems += [f"{which}: edit control shown: {html}" for html in found]
        problems += page_problems(page, f"styrelse {which}")

    assert not problems, "Pages read by styrelse:\n" + "\n".join(problems)


EDIT_URLS = {
    "insats-create": lambda plan: "/f/alfa/insatser/ny/",
    "insats-edit": lambda plan: f"/f/alfa/insatser/{plan['insats'].public_id}/andra/",
    "insats-status": lambda plan: f"/f/alfa/insatser/{plan['insats'].public_id}/status/",
    "insats-year-add": lambda plan: f"/f/alfa/insatser/{plan['insats'].public_id}/ar/ny/",
    "medlem-create": lambda plan: "/f/alfa/medlemmar/ny/",
    "seat-create": lambda plan: "/f/alfa/medlemmar/styrelse/ny/",
    "organ-edit": lambda plan: f"/f/alfa/medlemmar/organ/{plan['organ'].public_id}/andra/",
    "organ-member-add": lambda plan: f"/f/alfa/medlemmar/organ/{plan['organ'].public_id}/ledamoter/ny/",
    "meeting-create": lambda plan: "/f/alfa/medlemmar/arsplanering/ny/",
    "malomrade-edit": lambda plan: f"/f/alfa/mal/malomrade/{plan['malomrade'].public_id}/andra/",
}


def test_styrelse_gets_swedish_403_on_edit_urls(page, plan):
    log_in(page, STYRELSE_USER)
    problems: list[str] = []

    for which, url in EDIT_URLS.items():
        response = page.goto(url(plan))
        status = response.status if response else None
        heading = page.get_by_role("heading", level=1).inner_text()
        if status != 403 or heading != "Åtkomst nekad":
            problems.append(f"{which}: HTTP {status} with h1 {heading!r}, expected 403 Åtkomst nekad")
        problems += page_problems(page, f"403 {which}")

    assert not problems, "Edit URLs opened by styrelse:\n" + "\n".join(problems)


# --- 4. Keyboard: the in-place year row ------------------------------------------------------

_ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent || '').trim(),
          inNewRow: !!el.closest('#ar-ny')};
}"""


def _tab_to(page, locator, limit: int = 120) -> None:
    """Press Tab until the locator has focus (fails if it never does)."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{locator} was not reached with Tab in {limit} presses", pytrace=False)


def test_year_row_added_with_keyboard_only_keeps_focus(page, plan, forbund_a):
    log_in(page, "alice@alfa.se")
    insats = plan["insats"]
    page.goto(f"/f/alfa/insatser/{insats.public_id}/")
    new_row = page.locator("#ar-ny")

    _tab_to(page, new_row.get_by_label(_label("År")))
    page.keyboard.type(str(THIS_YEAR + 1))
    page.keyboard.press("Tab")
    expect(new_row.get_by_label(_label("Budget (kr)"))).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("420000")
    _tab_to(page, new_row.get_by_role("button", name="Spara"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("row", name=re.compile(rf"^{THIS_YEAR + 1}\b"))).to_contain_text(
        re.compile(r"420\s000 kr")
    )
    expect(page.locator("#ar-ny").get_by_label(_label("År"))).to_have_value("")
    focused = page.evaluate(_ACTIVE)
    assert focused is not None, "After adding a year row, focus was lost to <body>"
    assert focused["inNewRow"], f"After adding a year row, focus is on {focused}, not in the new form"
    with tenant_scope(forbund_a):
        assert InsatsYear.objects.filter(insats__public_id=insats.public_id, year=THIS_YEAR + 1).exists()


def test_year_row_refused_with_keyboard_keeps_focus_in_form(page, plan):
    log_in(page, "alice@alfa.se")
    page.goto(f"/f/alfa/insatser/{plan['insats'].public_id}/")
    new_row = page.locator("#ar-ny")

    _tab_to(page, new_row.get_by_label(_label("År")))
    page.keyboard.type(str(THIS_YEAR))  # the year already has a row
    page.keyboard.press("Enter")  # implicit submission from a text field

    expect(page.locator("#ar-ny .field-errors, #ar-ny .form-errors").first).to_be_visible()
    focused = page.evaluate(_ACTIVE)
    assert focused is not None, "After a refused year row, focus was lost to <body>"
    assert focused["inNewRow"], f"After a refused year row, focus is on {focused}, not in the form"
