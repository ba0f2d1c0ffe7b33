"""The second factor: who must have it, the guard, enrolment, the login step, recovery codes."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import policy, services
from apps.tenancy.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.second_factor import code_for, enrol

SETUP = "/konto/tvastegsverifiering/aktivera/"
VERIFY = "/konto/tvastegsverifiering/kod/"
CODES = "/konto/tvastegsverifiering/reservkoder/"


@pytest.fixture
def password_only():
    """A client that logs in with the password only (no second factor passed)."""
    return Client()


def member(forbund, in_scope, role, username=None):
    user = UserFactory(username=username or f"{role}@alfa.se")
    with in_scope(forbund):
        MembershipFactory(forbund=forbund, user=user, role=role)
    return user


def login(client, username):
    return client.post("/konto/logga-in/", {"username": username, "password": "demo"})


def pending_device(user):
    return TOTPDevice.objects.get(user=user, confirmed=False)


@pytest.mark.parametrize("role", [Role.FORBUNDSCHEF, Role.KANSLI, Role.PLATTFORM])
def test_writing_and_participant_roles_require_second_factor(role, forbund_a, forbund_b, in_scope):
    assert policy.second_factor_required(member(forbund_a, in_scope, role))


@pytest.mark.parametrize("role", [Role.STYRELSE, Role.REVISOR])
def test_reading_roles_are_offered_second_factor_only(role, forbund_a, forbund_b, in_scope):
    assert not policy.second_factor_required(member(forbund_a, in_scope, role))


def test_platform_administrator_requires_second_factor(db):
    assert policy.second_factor_required(UserFactory(is_superuser=True, is_staff=True))


def test_one_writing_role_in_any_forbund_requires_it(forbund_a, forbund_b, in_scope):
    user = member(forbund_a, in_scope, Role.STYRELSE, "dubbel@example.se")
    assert not policy.second_factor_required(user)
    with in_scope(forbund_b):
        MembershipFactory(forbund=forbund_b, user=user, role=Role.KANSLI)
    assert policy.second_factor_required(user)


def test_forbundschef_without_second_factor_cannot_reach_tenant_page(password_only, alice, tenant_rows):
    password_only.force_login(alice)
    response = password_only.get("/f/alfa/medlemmar/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Ff%2Falfa%2Fmedlemmar%2F"


def test_forbundschef_without_second_factor_cannot_write(password_only, alice, tenant_rows):
    password_only.force_login(alice)
    response = password_only.post("/f/alfa/medlemmar/ny/", {"name": "Ny kommun"})
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_enrolled_forbundschef_after_password_only_is_sent_to_code_step(password_only, alice):
    enrol(alice)
    password_only.force_login(alice)
    for path in ("/f/alfa/", "/", SETUP, "/konto/tvastegsverifiering/"):
        response = password_only.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY)


def test_htmx_request_without_second_factor_reloads_the_page(password_only, alice):
    password_only.force_login(alice)
    response = password_only.get("/f/alfa/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(SETUP)


def test_revisor_without_second_factor_reaches_tenant_pages(password_only, bob, tenant_rows):
    password_only.force_login(bob)
    assert password_only.get("/f/alfa/").status_code == 200


def test_platform_administrator_without_second_factor_is_sent_to_enrolment(password_only, admin_user):
    password_only.force_login(admin_user)
    response = password_only.get("/plattform/")
    assert response["Location"].startswith(SETUP)


def test_login_goes_straight_to_enrolment(password_only, alice):
    response = login(password_only, "alice@alfa.se")
    assert response["Location"] == f"{SETUP}?next=%2F"


def test_login_goes_straight_to_code_step_when_enrolled(password_only, alice):
    enrol(alice)
    response = login(password_only, "alice@alfa.se")
    assert response["Location"] == f"{VERIFY}?next=%2F"


def test_demo_account_is_exempt_while_debug_is_on(password_only, alice, settings, tenant_rows):
    settings.DEBUG = True
    response = login(password_only, "alice@alfa.se")
    assert response["Location"] == "/"
    assert password_only.get("/f/alfa/").status_code == 200


def test_demo_account_is_not_exempt_with_debug_off(password_only, alice, settings):
    settings.DEBUG = True
    login(password_only, "alice@alfa.se")
    settings.DEBUG = False
    assert password_only.get("/f/alfa/")["Location"].startswith(SETUP)


def test_enrolment_page_is_swedish_with_qr_and_key(password_only, alice):
    password_only.force_login(alice)
    body = password_only.get(SETUP).content.decode()
    assert '<html lang="sv">' in body
    assert 'src="data:image/svg+xml' in body
    assert "Skriv koden från appen" in body
    assert 'for="id_code"' in body
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', body)[1]
    device = pending_device(alice)
    assert secret.replace(" ", "") == __import__("base64").b32encode(device.bin_key).decode()


def test_enrolment_page_shows_the_same_key_on_reload(password_only, alice):
    password_only.force_login(alice)
    first = password_only.get(SETUP).content.decode()
    second = password_only.get(SETUP).content.decode()
    key = re.compile(r'id="totp-secret">([^<]+)<')
    assert key.search(first)[1] == key.search(second)[1]


def test_enrolment_with_wrong_code_says_so_and_stays_off(password_only, alice):
    password_only.force_login(alice)
    password_only.get(SETUP)
    response = password_only.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    assert not policy.has_second_factor(alice)


def test_enrolment_with_right_code_shows_recovery_codes_once_and_opens_pages(
    password_only, alice, tenant_rows
):
    password_only.force_login(alice)
    password_only.get(f"{SETUP}?next=/f/alfa/")
    response = password_only.post(
        f"{SETUP}?next=/f/alfa/", {"code": code_for(pending_device(alice)), "next": "/f/alfa/"}
    )
    assert response["Location"] == f"{CODES}?next=%2Ff%2Falfa%2F"
    page = password_only.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page)
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True))
    assert 'href="/f/alfa/"' in page
    assert password_only.get(CODES).status_code == 302  # shown once
    assert password_only.get("/f/alfa/").status_code == 200


def test_code_step_accepts_the_app_code_and_renews_the_session(password_only, alice, tenant_rows):
    device = enrol(alice)
    login(password_only, "alice@alfa.se")
    before = password_only.session.session_key
    response = password_only.post(f"{VERIFY}?next=/f/alfa/", {"code": code_for(device)})
    assert response["Location"] == "/f/alfa/"
    assert password_only.session.session_key != before
    assert password_only.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert password_only.get("/f/alfa/").status_code == 200


def test_code_step_refuses_a_wrong_code_in_swedish(password_only, alice):
    enrol(alice)
    login(password_only, "alice@alfa.se")
    response = password_only.post(VERIFY, {"code": "12345x"})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    assert password_only.get("/f/alfa/")["Location"].startswith(VERIFY)


def test_code_step_throttles_repeated_wrong_codes(password_only, alice):
    device = enrol(alice)
    login(password_only, "alice@alfa.se")
    password_only.post(VERIFY, {"code": "000000"})
    response = password_only.post(VERIFY, {"code": code_for(device)})
    assert "För många felaktiga koder" in response.content.decode()


def test_recovery_code_logs_in_once(password_only, alice, tenant_rows):
    enrol(alice)
    code = services.recovery_codes_regenerate(user=alice)[0]
    login(password_only, "alice@alfa.se")
    response = password_only.post(VERIFY, {"code": code.upper()}, follow=True)
    assert response.redirect_chain[-1][0] == "/f/alfa/"
    assert "Du har 9 kvar" in response.content.decode()
    password_only.logout()
    login(password_only, "alice@alfa.se")
    assert "Koden stämmer inte" in password_only.post(VERIFY, {"code": code}).content.decode()


def test_code_step_ignores_next_to_another_site(password_only, alice):
    device = enrol(alice)
    login(password_only, "alice@alfa.se")
    response = password_only.post(f"{VERIFY}?next=https://evil.example/", {"code": code_for(device)})
    assert response["Location"] == "/"


def test_required_role_cannot_switch_second_factor_off(client_for, alice):
    client = client_for(alice)
    response = client.post("/konto/tvastegsverifiering/stang-av/", follow=True)
    assert "kan inte stängas av" in response.content.decode()
    assert policy.has_second_factor(alice)


def test_revisor_can_switch_second_factor_off(client_for, bob, tenant_rows):
    client = client_for(bob)
    client.post("/konto/tvastegsverifiering/stang-av/")
    assert not policy.has_second_factor(bob)
    assert client.get("/f/alfa/").status_code == 200


def test_new_recovery_codes_replace_the_old(client_for, alice):
    client = client_for(alice)
    old = services.recovery_codes_regenerate(user=alice)
    response = client.post("/konto/tvastegsverifiering/reservkoder/nya/", follow=True)
    new = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    assert len(new) == 10
    assert not set(old) & set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True))


def test_overview_says_whether_it_is_on(client_for, password_only, bob):
    password_only.force_login(bob)
    assert "inte påslagen" in password_only.get("/konto/tvastegsverifiering/").content.decode()
    body = client_for(bob).get("/konto/tvastegsverifiering/").content.decode()
    assert "är <strong>påslagen</strong>" in body
