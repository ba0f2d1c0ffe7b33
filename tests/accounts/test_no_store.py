"""Logged-in pages and downloads are never stored by a browser or proxy cache."""

from __future__ import annotations

from django.utils.cache import get_max_age


def test_logged_in_page_is_no_store(client_for, alice, tenant_rows):
    response = client_for(alice).get("/f/alfa/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert get_max_age(response) == 0


def test_logged_in_redirect_is_no_store(client_for, alice):
    response = client_for(alice).get("/")
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


def test_logged_in_404_is_no_store(client_for, alice):
    response = client_for(alice).get("/f/beta/")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_static_file_stays_cacheable(client_for, alice):
    response = client_for(alice).get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
