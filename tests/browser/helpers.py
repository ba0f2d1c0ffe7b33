"""What the browser tests share: logging in, axe-core, the page-structure checks."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.second_factor import code_for, enrol

LOGIN_PATH = "/konto/logga-in/"
VERIFY_PATH = "/konto/tvastegsverifiering/kod/"
NAV = 'nav[aria-label="Huvudmeny"]'
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Only the violations travel back from the browser: passes/incomplete would be most of the time.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()


def path_of(url: str) -> str:
    """The path (and query) of an absolute URL, for messages and comparisons."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def log_in(page, username: str, password: str = "demo") -> None:
    """Log in through the real login form and the second-factor step, as a person would.

    DEBUG is off in tests, so the second factor is enforced: the user gets an authenticator
    app (made in the database, as after enrolment) and types its current code.
    """
    from django.contrib.auth import get_user_model

    device = enrol(get_user_model().objects.get(username=username))
    page.goto(LOGIN_PATH)
    page.get_by_label("Användarnamn", exact=True).fill(username)
    page.get_by_label("Lösenord", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in").click()
    if path_of(page.url).startswith(LOGIN_PATH):
        errors = page.locator(".form-errors")
        reason = errors.inner_text() if errors.count() else "no error shown"
        pytest.fail(f"Logging in as {username!r} failed: {reason}", pytrace=False)
    if path_of(page.url).startswith(VERIFY_PATH):
        page.get_by_label("Kod", exact=False).fill(code_for(device))
        with page.expect_navigation():
            page.get_by_role("button", name="Fortsätt").click()
        if path_of(page.url).startswith(VERIFY_PATH):
            pytest.fail(f"The second factor of {username!r} was refused", pytrace=False)


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, one readable block per rule."""
    results = _axe.run(page, options=AXE_OPTIONS)
    lines = []
    for violation in results.response["violations"]:
        lines.append(
            f"  {violation['id']} [{violation['impact']}]: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = " / ".join(line.strip() for line in node.get("failureSummary", "").splitlines()[1:])
            lines.append(f"      {target}: {node['html'][:160]}")
            if summary:
                lines.append(f"        -> {summary}")
    return lines


# True once the document exists and htmx has no request, swap or settle under way.
_SETTLED = """() => document.documentElement !== null
  && document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling') === null"""


def wait_until_settled(page) -> None:
    """Wait for the page a test is about to check: loaded, and htmx's requests done.

    A click on a link or a submit button returns once the navigation has committed, when the
    new document may not have been parsed yet (``document.documentElement`` is null there,
    and axe would read a half page). Panels that htmx loads after the page (the PDF panel)
    change the page under axe unless their requests have finished.
    """
    page.wait_for_load_state("load")
    page.wait_for_function(_SETTLED)


def structure_problems(page) -> list[str]:
    """<html lang="sv">, exactly one h1 and exactly one main landmark."""
    found = page.evaluate(
        """() => ({
          lang: document.documentElement.getAttribute('lang'),
          h1: document.querySelectorAll('h1').length,
          main: document.querySelectorAll('main, [role=main]').length,
        })"""
    )
    problems = []
    if found["lang"] != "sv":
        problems.append(f'  <html lang> is {found["lang"]!r}, expected "sv"')
    if found["h1"] != 1:
        problems.append(f"  {found['h1']} h1 elements, expected exactly 1")
    if found["main"] != 1:
        problems.append(f"  {found['main']} main landmarks, expected exactly 1")
    return problems


def page_problems(page, label: str = "") -> list[str]:
    """Everything wrong with the page once it has settled: axe violations and structure."""
    wait_until_settled(page)
    problems = structure_problems(page) + axe_violations(page)
    if not problems:
        return []
    heading = f"{label} {path_of(page.url)}".strip()
    return [f"{heading}:", *problems]


def assert_page_ok(page, label: str = "") -> None:
    """Fail with every axe violation (rule, impact, nodes) and structure problem listed."""
    problems = page_problems(page, label)
    assert not problems, "Accessibility problems:\n" + "\n".join(problems)


def nav_links(page) -> list[str]:
    """Absolute URLs of the links in the main navigation."""
    return page.locator(f"{NAV} a").evaluate_all("links => links.map(a => a.href)")
