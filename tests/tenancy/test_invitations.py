"""Platform administrators create förbund and invite users with a one-time link."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError

from apps.tenancy.models import Forbund, Invitation, Membership, Role
from apps.tenancy.scope import tenant_scope
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    return client


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/inbjudan/\S+)", message.body).group(1)


def test_platform_pages_are_404_for_ordinary_users(client, alice):
    client.force_login(alice)
    assert client.get("/plattform/").status_code == 404
    assert client.get("/plattform/nytt/").status_code == 404


def test_admin_creates_forbund(admin_client):
    response = admin_client.post("/plattform/nytt/", {"name": "Samordningsförbundet Gamma", "slug": "gamma"})
    assert response.status_code == 302
    assert Forbund.objects.filter(slug="gamma").exists()


def test_create_forbund_with_taken_slug_says_so_and_keeps_input(admin_client, forbund_a):
    response = admin_client.post("/plattform/nytt/", {"name": "Nytt namn", "slug": "alfa"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kortnamnet används redan" in body
    assert 'value="Nytt namn"' in body


def test_invitation_mails_a_one_time_link(admin_client, forbund_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/plattform/alfa/", {"email": "Ny.Person@Kommun.se", "role": Role.KANSLI}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ny.person@kommun.se"]
    assert "/inbjudan/alfa/" in mail.outbox[0].body
    with tenant_scope(forbund_a):
        invitation = Invitation.objects.get()
    assert invitation.token_hash not in mail.outbox[0].body  # only the hash is stored


def test_invalid_invitation_email_is_reported(admin_client, forbund_a):
    response = admin_client.post("/plattform/alfa/", {"email": "inte-en-adress", "role": Role.KANSLI})
    assert response.status_code == 200
    assert "giltig e-postadress" in response.content.decode()


def test_accepting_creates_account_and_membership_once(
    admin_client, client, forbund_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/plattform/alfa/", {"email": "ny@kommun.se", "role": Role.KANSLI})
    link = _link(mail.outbox[0])
    admin_client.logout()
    form = {
        "first_name": "Nina",
        "last_name": "Nyström",
        "password1": "ett-bra-lösen-123",
        "password2": "ett-bra-lösen-123",
    }
    response = client.post(link, form)
    assert response.status_code == 302 and response["Location"] == "/f/alfa/"
    with tenant_scope(forbund_a):
        membership = Membership.objects.get(user__username="ny@kommun.se")
    assert membership.role == Role.KANSLI
    client.logout()
    assert client.get(link).status_code == 404  # used once
    assert "redan använts" in client.get(link).content.decode()


def test_accept_with_mismatched_passwords_keeps_names(
    admin_client, client, forbund_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/plattform/alfa/", {"email": "ny@kommun.se", "role": Role.STYRELSE})
    admin_client.logout()
    form = {
        "first_name": "Nina",
        "last_name": "Nyström",
        "password1": "ett-bra-lösen-123",
        "password2": "annat-lösen-456",
    }
    response = client.post(_link(mail.outbox[0]), form)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lösenorden är inte likadana" in body
    assert 'value="Nyström"' in body


def test_wrong_token_is_404(client, forbund_a):
    assert client.get("/inbjudan/alfa/fel-token/").status_code == 404


def test_existing_user_accepts_when_logged_in(
    admin_client, client, forbund_a, charlie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/plattform/alfa/", {"email": "charlie@beta.se", "role": Role.REVISOR})
    admin_client.logout()
    client.force_login(charlie)
    response = client.post(_link(mail.outbox[0]))
    assert response["Location"] == "/f/alfa/"
    assert client.get("/f/alfa/").status_code == 200


def test_mail_failure_keeps_invitation_and_says_so(admin_client, forbund_a, monkeypatch):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPException("550")

    monkeypatch.setattr("apps.tenancy.services.send_mail", refuse)
    response = admin_client.post(
        "/plattform/alfa/", {"email": "ny@kommun.se", "role": Role.KANSLI}, follow=True
    )
    assert response.status_code == 200
    assert "e-posten kunde inte skickas" in response.content.decode()
    with tenant_scope(forbund_a):
        assert Invitation.objects.filter(email="ny@kommun.se").exists()


def _accept_form(password):
    return {"first_name": "Sara", "last_name": "Sekström", "password1": password, "password2": password}


def test_accept_refuses_own_email_as_password(
    admin_client, client, forbund_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/plattform/alfa/", {"email": "sectest1@example.se", "role": Role.KANSLI})
    admin_client.logout()
    response = client.post(_link(mail.outbox[0]), _accept_form("sectest1@example.se"))
    assert response.status_code == 200
    assert "för likt" in response.content.decode()
    assert not get_user_model().objects.filter(username="sectest1@example.se").exists()


def test_accept_refuses_password_like_own_name(
    admin_client, client, forbund_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/plattform/alfa/", {"email": "ny@kommun.se", "role": Role.KANSLI})
    admin_client.logout()
    response = client.post(_link(mail.outbox[0]), _accept_form("Sekström1234"))
    assert response.status_code == 200
    assert "för likt" in response.content.decode()


def test_accept_service_validates_password_against_the_email(forbund_a, admin_user):
    from apps.tenancy import services

    invitation, link = services.invitation_create(
        forbund=forbund_a,
        actor=admin_user,
        email="sectest1@example.se",
        role=Role.KANSLI,
        base_url="http://x/",
    )
    token = link.rstrip("/").rsplit("/", 1)[1]
    with pytest.raises(ValidationError):
        services.invitation_accept(forbund=forbund_a, token=token, password="sectest1@example.se")
    assert not get_user_model().objects.filter(username="sectest1@example.se").exists()
