"""Every role's pages, the platform administration and the error pages pass axe-core.

Each page must have zero WCAG 2.1 A/AA violations, <html lang="sv">, one h1 and one main
landmark. A role's pages are found the way its user finds them: through the main menu.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .helpers import LOGIN_PATH, NAV, assert_page_ok, log_in, nav_links, page_problems, path_of

pytestmark = pytest.mark.browser

# role id -> (username, pages that the menu must at least lead to)
ROLES = {
    "forbundschef": ("forbundschef@samo", {"/f/samo/", "/f/samo/medlemmar/"}),
    "kansli": ("kansli@samo", {"/f/samo/", "/f/samo/medlemmar/"}),
    "styrelse": ("styrelse@samo", {"/f/samo/", "/f/samo/medlemmar/"}),
    "plattform": ("plattform@samo", {"/f/samo/"}),
    "revisor": ("revisor@samo", {"/f/samo/", "/f/samo/medlemmar/"}),
    "admin": ("admin", {"/", "/plattform/"}),
    "multi": ("multi@demo", {"/", "/f/samo/", "/f/samo/medlemmar/", "/f/vastra/", "/f/vastra/medlemmar/"}),
}


def _crawl_main_menu(page, problems: list[str]) -> set[str]:
    """Visit the current page and every page reachable through the main menu; check each.

    On the förbund picker ("Byt förbund") the förbund links count as menu too, so a user in
    several förbund reaches each förbund's own menu. Returns the paths checked.
    """
    queue = [page.url]
    requested: set[str] = set()
    checked: set[str] = set()
    while queue:
        url = queue.pop(0)
        if path_of(url) in requested:
            continue
        requested.add(path_of(url))
        if checked:  # the first page is the one the login landed on: no need to load it again
            response = page.goto(url)
            if response is None or response.status != 200:
                problems.append(
                    f"{path_of(page.url)}: HTTP {response.status if response else '?'} from a menu link"
                )
        here = path_of(page.url)
        if here in checked:  # a redirect to a page already checked
            continue
        checked.add(here)
        problems.extend(page_problems(page))
        links = nav_links(page)
        if not links:
            problems.append(f"{here}: no links in {NAV}")
        if here == "/":
            links += page.locator(".card-list a").evaluate_all("links => links.map(a => a.href)")
        queue.extend(link for link in links if path_of(link) not in requested)
    return checked


@pytest.mark.parametrize("role", list(ROLES))
def test_role_pages_pass_axe(page, demo, role):
    username, must_reach = ROLES[role]
    log_in(page, username)
    problems: list[str] = []

    checked = _crawl_main_menu(page, problems)

    assert must_reach <= checked, (
        f"The menu did not lead to {sorted(must_reach - checked)}; checked {sorted(checked)}"
    )
    assert not problems, f"Pages of {username}:\n" + "\n".join(problems)


def test_login_page_passes_axe(page):
    page.goto(LOGIN_PATH)
    problems = page_problems(page, "login")

    page.get_by_label("Användarnamn", exact=True).fill("okand@samo")
    page.get_by_label("Lösenord", exact=True).fill("fel")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    problems += page_problems(page, "login with error")

    assert page.locator(NAV).count() == 0, "A logged-out visitor sees the main menu"
    assert not problems, "\n".join(problems)


def test_platform_admin_pages_pass_axe(page, demo):
    log_in(page, "admin")
    problems: list[str] = []

    page.locator(NAV).get_by_role("link", name="Plattformsadministration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samordningsförbund")
    problems += page_problems(page, "förbund list")

    page.get_by_role("link", name="Nytt förbund").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt förbund")
    problems += page_problems(page, "new förbund form")

    page.get_by_role("button", name="Skapa förbund").click()
    expect(page.locator(".field-errors").first).to_be_visible()
    # The error is tied to its field, so a screen reader reads it with the field.
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_name")).to_have_accessible_description(re.compile("måste fyllas i"))
    problems += page_problems(page, "new förbund form with errors")

    page.goto("/plattform/")
    page.locator('a[href$="/plattform/samo/"]').click()
    expect(page.get_by_role("heading", name="Bjud in en användare")).to_be_visible()
    problems += page_problems(page, "förbund detail")

    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.locator(".field-errors").first).to_be_visible()
    problems += page_problems(page, "förbund detail, invitation with errors")

    page.get_by_label("E-postadress").fill("ny.person@example.se")
    page.get_by_label("Roll").select_option("kansli")
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_role("status")).to_contain_text("ny.person@example.se")
    problems += page_problems(page, "förbund detail after inviting")

    assert not problems, "\n".join(problems)


def test_invitation_pages_pass_axe(page, demo):
    log_in(page, "admin")
    page.goto("/plattform/samo/")
    page.get_by_label("E-postadress").fill("inbjuden@example.se")
    page.get_by_label("Roll").select_option("styrelse")
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_role("status")).to_be_visible()
    links = re.findall(r"https?://\S+/inbjudan/\S+/", mail.outbox[-1].body) if mail.outbox else []
    assert links, "No invitation link was e-mailed"
    page.context.clear_cookies()  # the invited person is not logged in
    problems: list[str] = []

    page.goto(links[0])
    expect(page.get_by_role("button", name="Skapa konto och gå med")).to_be_visible()
    problems += page_problems(page, "invitation")

    page.get_by_role("button", name="Skapa konto och gå med").click()
    expect(page.locator(".field-errors").first).to_be_visible()
    problems += page_problems(page, "invitation with errors")

    assert not problems, "\n".join(problems)


ERROR_PAGES = {
    # id: (user or None, url, status, h1)
    "404-other-forbund": ("forbundschef@samo", "/f/vastra/", 404, "Sidan finns inte"),
    "404-logged-out": (None, "/finns-inte/", 404, "Sidan finns inte"),
    "403-no-ability": ("plattform@samo", "/f/samo/medlemmar/", 403, "Åtkomst nekad"),
}


@pytest.mark.parametrize("case", list(ERROR_PAGES))
def test_error_page_passes_axe(page, demo, case):
    username, url, status, heading = ERROR_PAGES[case]
    if username:
        log_in(page, username)

    response = page.goto(url)

    assert response is not None and response.status == status
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_page_ok(page, case)
