"""Every URL under /f/<slug>/ is 404 for outsiders and a login redirect when logged out.

The URLs are found by walking the resolver, so a new page is covered the day it is added.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

SAMPLES = {"uuid": str(uuid.uuid4()), "int": "1", "slug": "x", "str": "x", "path": "x/y"}
TENANT_PREFIX = "f/<forbund:forbund_slug>/"
PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def tenant_routes() -> list[str]:
    routes = [r for r in _walk(get_resolver().url_patterns) if r.startswith(TENANT_PREFIX)]
    for route in routes:
        assert "^" not in route and "(?P" not in route, f"regex routes are not swept: {route}"
    return routes


def build(route: str, slug: str) -> str:
    def sample(match):
        if match["name"] == "forbund_slug":
            return slug
        return SAMPLES[match["conv"] or "str"]

    return "/" + PARAM.sub(sample, route)


def test_sweep_finds_tenant_routes():
    routes = tenant_routes()
    assert TENANT_PREFIX in routes
    assert len(routes) >= 2


@pytest.mark.parametrize("route", tenant_routes())
def test_tenant_url_is_404_for_outsider(route, client, forbund_a, alice, charlie, tenant_rows):
    client.force_login(charlie)
    url = build(route, forbund_a.slug)
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize("route", tenant_routes())
def test_tenant_url_redirects_to_login_when_logged_out(route, client, forbund_a):
    url = build(route, forbund_a.slug)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/?next=")


@pytest.mark.parametrize("route", tenant_routes())
def test_tenant_url_with_upper_case_slug_is_never_a_500(route, client, forbund_a, alice, tenant_rows):
    # The URL converter and the middleware share one pattern: no view runs without a scope.
    client.force_login(alice)
    url = build(route, "ALFA")
    response = client.get(url + "?a=1")
    assert response.status_code == 301
    assert response["Location"] == build(route, "alfa") + "?a=1"
    assert client.post(url, {}).status_code == 404


def test_upper_case_slug_of_foreign_forbund_redirects_then_404(client, forbund_a, charlie):
    client.force_login(charlie)
    response = client.get("/f/Alfa/", follow=True)
    assert response.redirect_chain == [("/f/alfa/", 301)]
    assert response.status_code == 404


def test_slug_that_no_url_spells_is_404(client, alice):
    client.force_login(alice)
    assert client.get("/f/alfa.se/").status_code == 404
    assert client.get("/f/%C3%A5lfa/").status_code == 404


def test_unknown_forbund_is_404_like_a_foreign_one(client, charlie):
    client.force_login(charlie)
    assert client.get("/f/finns-inte/").status_code == 404


def test_inactive_forbund_is_404_for_its_members(client, forbund_a, alice):
    forbund_a.is_active = False
    forbund_a.save()
    client.force_login(alice)
    assert client.get("/f/alfa/").status_code == 404


def test_insider_reaches_overview(client, alice, tenant_rows):
    client.force_login(alice)
    response = client.get("/f/alfa/")
    assert response.status_code == 200
    assert "Samordningsförbundet Alfa" in response.content.decode()


def test_overview_shows_no_rows_of_other_forbund(client, alice, tenant_rows):
    client.force_login(alice)
    body = client.get("/f/alfa/medlemmar/").content.decode()
    assert tenant_rows["alfa"].name in body
    assert tenant_rows["beta"].name not in body


def test_tenant_setting_does_not_outlive_request(client, alice, tenant_rows):
    from django.db import connection

    client.force_login(alice)
    client.get("/f/alfa/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.forbund_id', true)")
        assert cursor.fetchone()[0] in ("", None)
