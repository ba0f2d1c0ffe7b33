"""The second factor in the browser: guided enrolment and the login step, under axe."""

from __future__ import annotations

import base64
import time

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.second_factor import code_for, enrol

from .helpers import LOGIN_PATH, VERIFY_PATH, page_problems, path_of

pytestmark = pytest.mark.browser

SETUP_PATH = "/konto/tvastegsverifiering/aktivera/"


def _password_step(page, username):
    page.goto(LOGIN_PATH)
    page.get_by_label("Användarnamn", exact=True).fill(username)
    page.get_by_label("Lösenord", exact=True).fill("demo")
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in").click()


def test_forbundschef_enrols_an_app_guided_in_swedish(page, demo):
    problems: list[str] = []
    _password_step(page, "forbundschef@samo")
    assert path_of(page.url).startswith(SETUP_PATH), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Slå på tvåstegsverifiering")
    expect(
        page.get_by_role(
            "img",
            name="QR-kod för att lägga till Samordning i autentiseringsappen. Går den inte att skanna, använd nyckeln nedan.",
        )
    ).to_be_visible()
    problems += page_problems(page, "enrolment")

    # A wrong code: the error is tied to the field and announced with it.
    page.get_by_label("Kod från appen").fill("000000")
    page.get_by_role("button", name="Slå på tvåstegsverifiering").click()
    expect(page.locator(".field-errors")).to_contain_text("Koden stämmer inte")
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    problems += page_problems(page, "enrolment with a wrong code")

    # The person types the key into the app by hand and enters the code it shows (after the
    # one-second wait that django-otp imposes after a wrong code).
    time.sleep(1.1)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    totp = TOTP(base64.b32decode(secret))
    totp.time = time.time()
    page.get_by_label("Kod från appen").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Slå på tvåstegsverifiering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dina reservkoder")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    problems += page_problems(page, "recovery codes")

    page.get_by_role("link", name="Jag har sparat koderna – fortsätt").click()
    expect(page.locator("nav[aria-label='Huvudmeny']")).to_contain_text("Medlemmar")
    assert path_of(page.url) == "/f/samo/"
    assert not problems, "\n".join(problems)


def test_enrolled_user_passes_the_code_step(page, demo):
    device = enrol(get_user_model().objects.get(username="kansli@samo"))
    problems: list[str] = []
    _password_step(page, "kansli@samo")
    assert path_of(page.url).startswith(VERIFY_PATH), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    problems += page_problems(page, "code step")

    page.get_by_label("Kod", exact=False).fill("123")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.locator(".field-errors")).to_contain_text("Koden stämmer inte")
    problems += page_problems(page, "code step with a wrong code")

    page.get_by_label("Kod", exact=False).fill(code_for(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Fortsätt").click()
    assert path_of(page.url) == "/f/samo/"

    page.get_by_role("link", name="Tvåstegsverifiering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    problems += page_problems(page, "second-factor settings")
    assert not problems, "\n".join(problems)


def test_forbundschef_with_password_only_cannot_open_a_tenant_page(page, demo):
    _password_step(page, "forbundschef@vastra")
    page.goto("/f/vastra/medlemmar/")
    assert path_of(page.url).startswith(SETUP_PATH)
