"""Keyboard use: the skip link, a keyboard-only login, and visible focus on every tab stop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.second_factor import code_for, enrol

from .helpers import LOGIN_PATH, NAV, VERIFY_PATH, log_in, path_of

pytestmark = pytest.mark.browser

# WCAG 1.4.11: a focus indicator needs 3:1 against what surrounds it.
FOCUS_CONTRAST = 3.0

# Describes the focused element: its outline, and the colour *behind* the outline (sampled
# just outside the element, since an offset outline is drawn over the parent's background
# or, for positioned elements like the skip link, over whatever lies beneath).
_FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const seen = el.hasAttribute('data-tab-seen');
  el.setAttribute('data-tab-seen', '');
  const cs = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const width = parseFloat(cs.outlineWidth) || 0;
  const offset = parseFloat(cs.outlineOffset) || 0;
  let x = rect.left - offset - width / 2;
  if (x < 0) x = rect.right + offset + width / 2;
  const y = rect.top + rect.height / 2;
  let behind = 'rgb(255, 255, 255)';
  for (const under of document.elementsFromPoint(x, y)) {
    if (under === el || el.contains(under)) continue;
    const bg = getComputedStyle(under).backgroundColor;
    if (bg && bg !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(bg)) { behind = bg; break; }
  }
  return {
    seen,
    name: (el.getAttribute('aria-label') || el.textContent || el.name || el.id || el.tagName).trim().slice(0, 40),
    tag: el.tagName.toLowerCase(),
    href: el.href || null,
    inNav: !!el.closest('nav[aria-label="Huvudmeny"]'),
    focusVisible: el.matches(':focus-visible'),
    inViewport: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
      && rect.top < window.innerHeight && rect.left < window.innerWidth,
    outlineStyle: cs.outlineStyle,
    outlineWidth: width,
    outlineColor: cs.outlineColor,
    behind,
  };
}
"""


def _rgb(css: str) -> tuple[float, float, float]:
    r, g, b = (float(v) for v in re.findall(r"[\d.]+", css)[:3])
    return r, g, b


def _contrast(a: str, b: str) -> float:
    def luminance(css):
        channels = [c / 255 for c in _rgb(css)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _tab_through(page, limit: int = 60) -> list[dict]:
    """Press Tab from the top of the page until focus comes round again; every stop."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(_FOCUSED)
        if info is None:
            continue
        if info["seen"]:
            break
        stops.append(info)
    return stops


def _focus_problems(stop: dict) -> list[str]:
    problems = []
    if not stop["focusVisible"]:
        problems.append("does not match :focus-visible after Tab")
    if not stop["inViewport"]:
        problems.append("is outside the viewport when focused")
    if stop["outlineStyle"] == "none" or stop["outlineWidth"] < 1:
        problems.append(f"has no focus outline ({stop['outlineStyle']} {stop['outlineWidth']}px)")
    else:
        ratio = _contrast(stop["outlineColor"], stop["behind"])
        if ratio < FOCUS_CONTRAST:
            problems.append(
                f"focus outline {stop['outlineColor']} on {stop['behind']} has contrast {ratio:.2f}:1"
                f" (needs {FOCUS_CONTRAST}:1)"
            )
    return [f"<{stop['tag']}> {stop['name']!r} {p}" for p in problems]


def _focused_name(page) -> str:
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return el ? `<${el.tagName.toLowerCase()}> ${(el.textContent || el.name || el.id).trim()}` : ''; }"
    )


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page):
    page.goto(LOGIN_PATH)
    skip_link = page.get_by_role("link", name="Hoppa till innehållet")

    page.keyboard.press("Tab")

    # Focus moves synchronously on Tab: no need to wait, and a wrong stop is named at once.
    focused = _focused_name(page)
    assert focused == "<a> Hoppa till innehållet", (
        f"The first Tab focused {focused!r}, not the skip link (autofocus elsewhere skips it)"
    )
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is in the content, past the header
    expect(page.get_by_label("Användarnamn", exact=True)).to_be_focused()


def _tab_to(page, locator):
    for _ in range(10):
        if locator.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(locator).to_be_focused()


def test_login_with_keyboard_only_lands_on_overview(page, demo):
    from django.contrib.auth import get_user_model

    device = enrol(get_user_model().objects.get(username="forbundschef@samo"))
    page.goto(LOGIN_PATH)
    _tab_to(page, page.get_by_label("Användarnamn", exact=True))

    page.keyboard.type("forbundschef@samo")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Lösenord", exact=True)).to_be_focused()
    page.keyboard.type("demo")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The second factor, by keyboard too (DEBUG is off in tests, so it is enforced).
    assert path_of(page.url).startswith(VERIFY_PATH)
    _tab_to(page, page.get_by_label("Kod", exact=False))
    page.keyboard.type(code_for(device))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert path_of(page.url) == "/f/samo/"
    expect(page.locator(NAV).get_by_role("link", name="Översikt")).to_have_attribute("aria-current", "page")


def test_login_page_tab_stops_have_visible_focus(page):
    page.goto(LOGIN_PATH)

    stops = _tab_through(page)

    names = [stop["name"] for stop in stops]
    assert {"Hoppa till innehållet", "Logga in"} <= set(names), f"Tab stops: {names}"
    problems = [p for stop in stops for p in _focus_problems(stop)]
    assert not problems, "Focus indicator problems on the login page:\n" + "\n".join(problems)


@pytest.mark.parametrize("username", ["forbundschef@samo", "admin"])
def test_nav_links_reachable_by_tab_with_visible_focus(page, demo, username):
    log_in(page, username)
    nav_hrefs = page.locator(f"{NAV} a").evaluate_all("links => links.map(a => a.href)")
    assert nav_hrefs, "No links in the main menu"

    stops = _tab_through(page)

    reached = {s["href"] for s in stops if s["inNav"]}
    assert set(nav_hrefs) <= reached, f"Not reachable with Tab: {sorted(set(nav_hrefs) - reached)}"
    problems = [p for stop in stops for p in _focus_problems(stop)]
    assert not problems, f"Focus indicator problems for {username} on {path_of(page.url)}:\n" + "\n".join(
        problems
    )
