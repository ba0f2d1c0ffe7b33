"""Login, lockout, session timeout, password hashing and headers."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.factories import UserFactory
from tests.second_factor import code_for, enrol


def test_login_page_is_swedish(client):
    body = client.get("/konto/logga-in/").content.decode()
    assert '<html lang="sv">' in body
    assert "Användarnamn" in body and "Lösenord" in body


def test_login_with_one_membership_lands_on_overview(client, alice):
    device = enrol(alice)
    response = client.post("/konto/logga-in/", {"username": "alice@alfa.se", "password": "demo"})
    assert response["Location"].startswith("/konto/tvastegsverifiering/kod/")
    response = client.post(response["Location"], {"code": code_for(device)}, follow=True)
    assert response.redirect_chain[-1][0] == "/f/alfa/"


def test_wrong_password_gives_swedish_error(client, alice):
    response = client.post("/konto/logga-in/", {"username": "alice@alfa.se", "password": "fel"})
    assert response.status_code == 200
    assert "Ange ett korrekt" in response.content.decode()


def test_five_failures_lock_the_account(client, alice):
    for _ in range(5):
        client.post("/konto/logga-in/", {"username": "alice@alfa.se", "password": "fel"})
    response = client.post("/konto/logga-in/", {"username": "alice@alfa.se", "password": "demo"})
    assert response.status_code == 429
    assert "tillfälligt låst" in response.content.decode()


def test_lockout_lasts_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_session_expires_after_thirty_idle_minutes(client, alice):
    client.force_login(alice)
    client.get("/f/alfa/")
    assert client.session.get_expiry_age() == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # activity renews the 30 minutes


def test_production_hasher_is_argon2():
    from samordning.settings import base as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    from django.contrib.auth.hashers import Argon2PasswordHasher

    assert Argon2PasswordHasher().encode("demo", "saltsaltsalt").startswith("argon2$")


def test_pages_send_strict_csp(client):
    csp = client.get("/konto/logga-in/")["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_logout_requires_post(client, alice):
    client.force_login(alice)
    assert client.get("/konto/logga-ut/").status_code == 405
    client.post("/konto/logga-ut/")
    assert client.get("/f/alfa/").status_code == 302


def test_user_with_two_forbund_picks_one(client, forbund_a, forbund_b, in_scope):
    from apps.tenancy.models import Membership, Role

    user = UserFactory(username="dubbel@example.se")
    for forbund in (forbund_a, forbund_b):
        with in_scope(forbund):
            Membership.objects.create(forbund=forbund, user=user, role=Role.STYRELSE)
    client.force_login(user)
    body = client.get("/").content.decode()
    assert "/f/alfa/" in body and "/f/beta/" in body
    assert client.get("/f/beta/").status_code == 200


def test_user_without_forbund_sees_explanation(client, db):
    client.force_login(UserFactory())
    assert "inte med i något samordningsförbund" in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("path", "text"),
    [("/finns-inte/", "Sidan finns inte")],
)
def test_error_pages_are_swedish(client, path, text):
    response = client.get(path)
    assert response.status_code == 404
    assert text in response.content.decode()


def test_403_page_is_swedish(client, forbund_a, in_scope):
    from apps.tenancy.models import Membership, Role

    user = UserFactory(username="plattform@alfa.se")
    with in_scope(forbund_a):
        Membership.objects.create(forbund=forbund_a, user=user, role=Role.PLATTFORM)
    client.force_login(user)
    response = client.get("/f/alfa/medlemmar/")
    assert response.status_code == 403
    assert "Åtkomst nekad" in response.content.decode()


def test_500_page_is_swedish_and_static():
    from samordning.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Ett fel uppstod" in response.content.decode()
