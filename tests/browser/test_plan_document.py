"""In the browser: the verksamhetsplan document from a new plan to a fastställd version and a revision.

Förbundschef creates the plan, writes a section in Markdown (the preview never runs a script),
reorders and renames sections, sends the plan på remiss; styrelse comments in a context of its
own; förbundschef answers and adopts. The revisor sees fastställda versions only. Every page
visited, form errors included, passes axe-core.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from apps.plans import services as plan_services
from apps.plans.models import Plan, PlanSection
from apps.tenancy.models import Role
from apps.tenancy.scope import tenant_scope
from tests.factories import MembershipFactory, UserFactory

from .conftest import TIMEOUT_MS
from .helpers import NAV, assert_page_ok, log_in, path_of

pytestmark = pytest.mark.browser

YEAR = datetime.date.today().year + 1
STYRELSE_USER = "stina@alfa.se"
MARKDOWN = (
    "Förbundet finansierar insatser för personer som behöver samordnat stöd.\n\n"
    "- Arbete eller studier\n"
    "- Hälsa och egen försörjning\n\n"
    "<script>alert(1)</script>\n"
)
SCRIPTS_IN_PREVIEW = "() => document.querySelectorAll('#plan-preview script').length"


def _label(text: str) -> re.Pattern:
    """A field's accessible name starts with its label; required fields add "(obligatoriskt)"."""
    return re.compile(rf"^{re.escape(text)}( \(obligatoriskt\))?$")


def _expect_field_error(field, message: str) -> None:
    """The error is shown and tied to the field, so a screen reader reads it with the field."""
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))


def _fail_on_dialog(page) -> list[str]:
    """Record every alert/confirm/prompt; the test asserts none appeared."""
    fired: list[str] = []

    def on_dialog(dialog):
        fired.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return fired


def _section(forbund, title: str, number: int = 1) -> PlanSection:
    with tenant_scope(forbund):
        return PlanSection.objects.get(
            forbund=forbund, version__plan__year=YEAR, version__number=number, title=title
        )


@pytest.fixture
def people(transactional_db, live_server, forbund_a, forbund_b, alice, bob):
    """Alice (förbundschef), Bob (revisor) and Stina (styrelse) in A; a noise plan in B."""
    stina = UserFactory(username=STYRELSE_USER)
    with tenant_scope(forbund_a):
        MembershipFactory(forbund=forbund_a, user=stina, role=Role.STYRELSE)
    with tenant_scope(forbund_b):
        plan_services.plan_create(forbund=forbund_b, actor=None, year=YEAR)
    return {"alice": alice, "bob": bob, "stina": stina}


@pytest.fixture
def adopted(people, forbund_a):
    """In A: the plan of YEAR adopted as version 1 with version 2 in draft, and YEAR + 1 in draft."""
    with tenant_scope(forbund_a):
        plan = plan_services.plan_create(forbund=forbund_a, actor=None, year=YEAR)
        first = plan.versions.get()
        plan_services.version_send_to_remiss(forbund=first.forbund, version=first, actor=None)
        plan_services.version_adopt(
            forbund=first.forbund,
            version=first,
            actor=None,
            adopted_on=datetime.date(YEAR - 1, 11, 30),
            decision_paragraph="§ 45",
        )
        second = plan_services.version_revise(forbund=first.forbund, version=first, actor=None)
        next_plan = plan_services.plan_create(forbund=forbund_a, actor=None, year=YEAR + 1)
        return {"adopted": first, "revision": second, "next_draft": next_plan.versions.get()}


# --- 1. Förbundschef and styrelse: from a new plan to a fastställd version --------------------


def test_plan_from_template_through_remiss_to_adopted_and_revised(
    page, chromium, live_server, people, forbund_a
):
    dialogs = _fail_on_dialog(page)
    log_in(page, "alice@alfa.se")
    page.locator(NAV).get_by_role("link", name="Verksamhetsplan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verksamhetsplaner")
    assert_page_ok(page, "plan index")

    # A refused year first: the error by the field, the typed year kept.
    page.get_by_label(_label("År")).fill("1999")
    page.get_by_role("button", name="Skapa plan").click()
    _expect_field_error(page.get_by_label(_label("År")), "Ange ett år från 2000.")
    expect(page.get_by_label(_label("År"))).to_have_value("1999")
    assert_page_ok(page, "plan index with errors")

    page.get_by_label(_label("År")).fill(str(YEAR))
    page.get_by_role("button", name="Skapa plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Verksamhetsplan {YEAR}")
    toc = page.get_by_role("navigation", name="Innehåll")
    expect(toc.get_by_role("link")).to_have_count(12)
    expect(toc.get_by_role("link").first).to_have_text("1 Bakgrund och ändamål")
    assert_page_ok(page, "new plan version 1")
    version_path = path_of(page.url)

    # A narrative section: Markdown with a list and a script, previewed with htmx.
    page.get_by_role("link", name="Ändra avsnittet Bakgrund och ändamål").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra avsnitt: Bakgrund och ändamål")
    assert_page_ok(page, "section edit")
    page.get_by_label(_label("Text")).fill(MARKDOWN)
    page.get_by_role("button", name="Förhandsgranska").click()
    preview = page.locator("#plan-preview")
    expect(preview.get_by_role("listitem")).to_have_count(2)
    expect(preview.get_by_role("listitem").first).to_have_text("Arbete eller studier")
    expect(preview).to_contain_text("alert(1)")  # shown as text, never as an element
    assert page.evaluate(SCRIPTS_IN_PREVIEW) == 0
    assert_page_ok(page, "section edit with preview")

    # Renaming to an empty title is refused; the Markdown typed is kept.
    page.get_by_label(_label("Rubrik")).fill("")
    page.get_by_role("button", name="Spara").click()
    _expect_field_error(page.get_by_label(_label("Rubrik")), "Ange en rubrik.")
    expect(page.get_by_label(_label("Text"))).to_have_value(MARKDOWN)
    assert page.evaluate("() => document.querySelectorAll('main script').length") == 0
    assert_page_ok(page, "section edit with errors")

    page.get_by_label(_label("Rubrik")).fill("Bakgrund")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Verksamhetsplan {YEAR}")
    section = page.locator("section.plan-section").first
    expect(section.get_by_role("heading", level=2)).to_have_text("1 Bakgrund")
    expect(section.get_by_role("listitem")).to_have_count(2)
    assert page.evaluate("() => document.querySelectorAll('main script').length") == 0
    assert_page_ok(page, "plan after saving a section")

    # Reorder: Målgrupp moves above Värdegrund och vision.
    page.get_by_role("link", name="Ordna avsnitt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Avsnitt i verksamhetsplan {YEAR}, version 1")
    assert_page_ok(page, "sections")
    page.get_by_role("button", name="Flytta upp: Målgrupp").click()
    rows = page.get_by_role("table", name="Avsnitten i ordning").locator("tbody tr")
    expect(rows.nth(2).get_by_role("rowheader")).to_have_text("Målgrupp")
    expect(rows.nth(3).get_by_role("rowheader")).to_have_text("Värdegrund och vision")
    page.get_by_role("button", name="Lägg till").click()
    _expect_field_error(page.get_by_label(_label("Rubrik")), "Ange en rubrik.")
    assert_page_ok(page, "sections with errors")
    page.get_by_role("link", name="Tillbaka till planen").click()

    page.get_by_role("button", name="Skicka på remiss").click()
    expect(page.locator("main .notice")).to_contain_text("Planen är på remiss")
    assert_page_ok(page, "plan på remiss")

    # Styrelse comments on the section, in a browser context of its own.
    bakgrund = _section(forbund_a, "Bakgrund")
    context = chromium.new_context(base_url=live_server.url, locale="sv-SE")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        board = context.new_page()
        board_dialogs = _fail_on_dialog(board)
        log_in(board, STYRELSE_USER)
        board.goto(version_path)
        assert_page_ok(board, "plan på remiss as styrelse")
        expect(board.get_by_role("link", name=re.compile("^Ändra avsnittet"))).to_have_count(0)
        own = board.locator(f"#s-{bakgrund.public_id}")
        own.get_by_label("Synpunkt på Bakgrund").fill("Lägg till samverkan med civilsamhället.")
        own.get_by_role("button", name="Lämna synpunkt").click()
        expect(board.locator("main")).to_contain_text("Tack, din synpunkt är sparad.")
        own = board.locator(f"#s-{bakgrund.public_id}")
        expect(own.get_by_role("listitem").filter(has_text="civilsamhället")).to_contain_text("(öppen)")
        assert_page_ok(board, "plan after a comment as styrelse")
        assert not board_dialogs
    finally:
        context.close()

    # Förbundschef answers the comment.
    page.goto(version_path)
    own = page.locator(f"#s-{bakgrund.public_id}")
    expect(own.get_by_role("heading", name="Synpunkter på Bakgrund")).to_be_visible()
    own.get_by_label("Svar", exact=True).fill("Tillagt i avsnittet.")
    own.get_by_role("button", name="Spara svar").click()
    expect(page.locator("main")).to_contain_text("Svaret är sparat.")
    expect(page.locator(f"#s-{bakgrund.public_id}")).to_contain_text("Tillagt i avsnittet.")
    assert_page_ok(page, "plan after an answer")

    # Adopt: the date is required; then the version shows the decision.
    page.get_by_role("link", name="Fastställ", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Fastställ verksamhetsplan {YEAR}, version 1")
    assert_page_ok(page, "adopt")
    page.get_by_label(_label("Paragraf i protokollet")).fill("§ 45")
    page.get_by_role("button", name="Fastställ").click()
    _expect_field_error(page.get_by_label(_label("Beslutsdatum")), "Ange datum för beslutet.")
    expect(page.get_by_label(_label("Paragraf i protokollet"))).to_have_value("§ 45")
    assert_page_ok(page, "adopt with errors")
    page.get_by_label(_label("Beslutsdatum")).fill(f"{YEAR - 1}-11-30")
    page.get_by_role("button", name="Fastställ").click()
    cover = page.locator(".plan-cover__status")
    expect(cover).to_contain_text("fastställd")
    expect(cover).to_contain_text(f"Fastställd av styrelsen {YEAR - 1}-11-30")
    expect(cover).to_contain_text("§ 45")
    expect(page.get_by_role("link", name=re.compile("^Ändra avsnittet"))).to_have_count(0)
    assert_page_ok(page, "adopted version 1")

    # A revision: version 2 as utkast, one section changed, compared with version 1.
    page.get_by_role("button", name="Revidera (ny version)").click()
    expect(page.locator(".plan-cover__status")).to_contain_text("Version 2 – utkast")
    assert_page_ok(page, "version 2")
    page.get_by_role("link", name="Ändra avsnittet Bakgrund").click()
    page.get_by_label(_label("Text")).fill(
        MARKDOWN.replace("- Hälsa", "- Samverkan med civilsamhället\n- Hälsa")
    )
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("link", name="Jämför med föregående version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Verksamhetsplan {YEAR}: version 2 jämförd med version 1"
    )
    expect(page.get_by_role("list", name="Ändrad text i Bakgrund")).to_contain_text(
        "Samverkan med civilsamhället"
    )
    assert_page_ok(page, "compare version 2 with 1")

    assert not dialogs, f"A dialog fired: {dialogs}"
    with tenant_scope(forbund_a):
        plan = Plan.objects.get(forbund=forbund_a, year=YEAR)
        assert [v.status for v in plan.versions.order_by("number")] == ["faststalld", "utkast"]


# --- 2. The revisor reads fastställda versions only -------------------------------------------


def test_revisor_sees_only_adopted_versions(page, adopted):
    log_in(page, "bob@alfa.se")
    page.locator(NAV).get_by_role("link", name="Verksamhetsplan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verksamhetsplaner")
    table = page.get_by_role("table", name="Planer och versioner")
    expect(table.get_by_role("link")).to_have_count(1)
    expect(table.get_by_role("link")).to_have_text("Version 1")
    expect(table.get_by_role("row", name=re.compile(rf"^{YEAR + 1}\b"))).to_contain_text(
        "Ingen fastställd version ännu."
    )
    expect(page.get_by_role("button", name="Skapa plan")).to_have_count(0)
    assert_page_ok(page, "plan index as revisor")

    for draft in ("revision", "next_draft"):
        response = page.goto(f"/f/alfa/plan/v/{adopted[draft].public_id}/")
        assert response is not None and response.status == 404, draft
        expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
        assert_page_ok(page, f"404 for the {draft} as revisor")

    page.goto("/f/alfa/plan/")
    page.get_by_role("link", name="Version 1").click()
    expect(page.locator(".plan-cover__status")).to_contain_text(f"Fastställd av styrelsen {YEAR - 1}-11-30")
    # The PDF panel loads by htmx; once it is there, its "Skapa PDF" (every reader may ask
    # for a PDF) is the only form on the page: nothing that edits the plan.
    expect(page.locator("#pdf-panel").get_by_role("heading", name="PDF", exact=True)).to_be_visible()
    expect(page.locator("main form")).to_have_count(1)
    expect(page.locator("main form").get_by_role("button")).to_have_text("Skapa PDF")
    expect(page.get_by_role("button", name="Revidera (ny version)")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Ändra avsnittet"))).to_have_count(0)
    assert_page_ok(page, "adopted version as revisor")


# --- 3. Keyboard: the Markdown preview and the save button ------------------------------------


def _tab_to(page, locator, limit: int = 120, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until the locator has focus (fails if it never does)."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press(key)
    pytest.fail(f"{locator} was not reached with {key} in {limit} presses", pytrace=False)


def test_section_previewed_and_saved_with_keyboard_only(page, people, forbund_a):
    with tenant_scope(forbund_a):
        plan_services.plan_create(forbund=forbund_a, actor=None, year=YEAR)
    section = _section(forbund_a, "Målgrupp")
    log_in(page, "alice@alfa.se")
    page.goto(f"/f/alfa/plan/avsnitt/{section.public_id}/")

    _tab_to(page, page.get_by_label(_label("Text")))
    page.keyboard.type("- Unga vuxna\n- Långtidssjukskrivna")
    preview_button = page.get_by_role("button", name="Förhandsgranska")
    _tab_to(page, preview_button)
    page.keyboard.press("Enter")
    expect(page.locator("#plan-preview").get_by_role("listitem")).to_have_count(2)
    expect(preview_button).to_be_focused()

    _tab_to(page, page.get_by_label(_label("Text")), key="Shift+Tab")  # the preview also answers Space
    page.keyboard.press("Control+End")
    page.keyboard.type("\n- Unga med aktivitetsersättning")
    _tab_to(page, preview_button)
    page.keyboard.press("Space")
    expect(page.locator("#plan-preview").get_by_role("listitem")).to_have_count(3)

    save = page.get_by_role("button", name="Spara")
    _tab_to(page, save, key="Shift+Tab")
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Verksamhetsplan {YEAR}")
    expect(page.locator(f"#s-{section.public_id}").get_by_role("listitem")).to_have_count(3)

    with tenant_scope(forbund_a):
        section.refresh_from_db()
        assert "- Unga med aktivitetsersättning" in section.body_markdown


def test_section_moved_to_place_with_keyboard_and_plan_set_up_as_real_plans_are(page, people, forbund_a):
    """Issue 12: "Flytta till plats N" in one step with the keyboard, a bilaga, a three-year
    period and signing by ordförande and justerare; every page passes axe."""
    with tenant_scope(forbund_a):
        plan_services.plan_create(forbund=forbund_a, actor=None, year=YEAR)
    with tenant_scope(forbund_a):
        version = _section(forbund_a, "Långtidsbudget").version
    log_in(page, "alice@alfa.se")
    page.goto(f"/f/alfa/plan/v/{version.public_id}/avsnitt/")
    assert_page_ok(page, "sections with move-to-place")

    row = page.locator("tr", has=page.get_by_role("rowheader", name="Långtidsbudget", exact=True))
    place = row.get_by_role("combobox")
    expect(place).to_have_accessible_name("Flytta till plats (Långtidsbudget)")
    _tab_to(page, place)
    place.select_option("2")
    _tab_to(page, page.get_by_role("button", name="Flytta Långtidsbudget"))
    page.keyboard.press("Enter")
    rows = page.get_by_role("table", name="Avsnitten i ordning").locator("tbody tr")
    expect(rows.nth(1).get_by_role("rowheader")).to_have_text("Långtidsbudget")
    expect(rows.nth(2).get_by_role("rowheader")).to_have_text("Organisation")
    assert_page_ok(page, "sections after moving to place 2")

    page.get_by_label(_label("Planperiod från")).fill(str(YEAR - 2))
    page.get_by_label(_label("Planperiod till")).fill(str(YEAR - 1))
    page.get_by_role("button", name="Spara planperiod").click()
    expect(page.locator(".form-errors, .field-errors").first).to_contain_text("måste ligga inom planperioden")
    assert_page_ok(page, "plan period with errors")
    page.get_by_label(_label("Planperiod till")).fill(str(YEAR))
    page.get_by_role("button", name="Spara planperiod").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Avsnitt i verksamhetsplan {YEAR - 2}–{YEAR}, uppdatering {YEAR}, version 1"
    )

    page.get_by_label(_label("Vem skriver under")).select_option("justerare")
    page.get_by_role("button", name="Spara underskrifter").click()
    _expect_field_error(page.get_by_label(_label("Justerare")), "Ange minst en justerare.")
    assert_page_ok(page, "signatures with errors")
    page.get_by_label(_label("Justerare")).fill("Karin Justerare")
    page.get_by_role("button", name="Spara underskrifter").click()
    expect(page.get_by_label(_label("Justerare"))).to_have_value("Karin Justerare")

    risk = _section(forbund_a, "Risk och internkontroll")
    page.goto(f"/f/alfa/plan/avsnitt/{risk.public_id}/")
    page.get_by_label(_label("Bilaga")).check()
    page.get_by_role("button", name="Spara").click()
    toc = page.get_by_role("navigation", name="Innehåll")
    expect(toc.get_by_role("link").last).to_have_text("Bilaga 1 Risk och internkontroll")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Verksamhetsplan {YEAR - 2}–{YEAR}, uppdatering {YEAR}"
    )
    assert_page_ok(page, "plan with a bilaga")
