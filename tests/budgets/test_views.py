"""Budget pages: readers 200, read-only 403 on edits, plattform 403, outsider 404, forms, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.budgets import services
from apps.budgets.models import Budget, CostLine, IncomeLine
from apps.insatser.models import Insats
from apps.tenancy.scope import tenant_scope

pytestmark = pytest.mark.django_db

NB = "\u00a0"
READ_PAGES = ["/f/alfa/budget/", "/f/alfa/budget/2023/"]


def _edit_urls(forbund):
    with tenant_scope(forbund):
        line = CostLine.objects.filter(forbund=forbund, name="Kansli").get()
        income = IncomeLine.objects.filter(forbund=forbund).first()
    return [
        "/f/alfa/budget/ny/",
        "/f/alfa/budget/2023/installningar/",
        "/f/alfa/budget/2023/ta-bort/",
        "/f/alfa/budget/2023/intakter/ny/",
        "/f/alfa/budget/2023/kostnader/ny/",
        "/f/alfa/budget/2023/langtid/2024/",
        f"/f/alfa/budget/intakter/{income.public_id}/andra/",
        f"/f/alfa/budget/intakter/{income.public_id}/ta-bort/",
        f"/f/alfa/budget/kostnader/{line.public_id}/andra/",
        f"/f/alfa/budget/kostnader/{line.public_id}/ta-bort/",
    ]


@pytest.mark.parametrize("url", READ_PAGES)
def test_read_page_ok_for_revisor(client, bob, ostra, url):
    client.force_login(bob)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Beta-kansli" not in body
    assert "Ta bort" not in body


@pytest.mark.parametrize("url", READ_PAGES)
def test_read_page_ok_for_styrelse(client, stina, ostra, url):
    client.force_login(stina)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", READ_PAGES)
def test_read_page_is_403_for_plattform(client, petra, ostra, url):
    client.force_login(petra)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", READ_PAGES)
def test_read_page_is_404_for_outsider(client, charlie, ostra, url):
    client.force_login(charlie)
    assert client.get(url).status_code == 404


def test_edit_pages_are_403_for_revisor(client, bob, ostra, forbund_a):
    client.force_login(bob)
    for url in _edit_urls(forbund_a):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


def test_edit_pages_are_404_for_outsider(client, charlie, ostra, forbund_a):
    urls = _edit_urls(forbund_a)
    client.force_login(charlie)
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_edit_pages_open_for_forbundschef(client, alice, ostra, forbund_a):
    client.force_login(alice)
    for url in _edit_urls(forbund_a):
        assert client.get(url).status_code == 200, url


def test_detail_unknown_year_is_404(client, alice, ostra):
    client.force_login(alice)
    assert client.get("/f/alfa/budget/2031/").status_code == 404


def test_detail_shows_swedish_kronor_and_tkr(client, bob, ostra):
    client.force_login(bob)
    body = client.get("/f/alfa/budget/2023/").content.decode()
    assert f"18{NB}861{NB}000{NB}kr" in body
    assert "(101) Åtgärder individ och struktur" in body
    assert f"3{NB}888{NB}450{NB}kr" in body
    body = client.get("/f/alfa/budget/2023/?visning=tkr").content.decode()
    assert f"14{NB}433{NB}tkr" in body


def test_detail_shows_eget_kapital_warning(client, bob, ostra, forbund_a):
    with tenant_scope(forbund_a):
        services.budget_update(forbund=forbund_a, actor=None, budget=ostra, eget_kapital_opening=10_000_000)
    client.force_login(bob)
    body = client.get("/f/alfa/budget/2023/").content.decode()
    assert "Varning:" in body
    assert "bör det inte överstiga 20" in body


def test_detail_shows_unbalanced_budget(client, bob, ostra, forbund_a):
    with tenant_scope(forbund_a):
        services.cost_line_create(forbund=forbund_a, actor=None, budget=ostra, name="Extra", amount=1000)
    client.force_login(bob)
    body = client.get("/f/alfa/budget/2023/").content.decode()
    assert "Budgeten är inte i balans" in body
    assert f"\u22121{NB}000{NB}kr" in body


def test_create_budget_post_redirects(client, alice, forbund_a, forbund_b, ostra):
    client.force_login(alice)
    response = client.post(
        "/f/alfa/budget/ny/",
        {
            "year": 2024,
            "input_mode": "state",
            "input_amount": 100,
            "state_split": "fk_af",
            "kommun_split": "population",
            "eget_kapital_opening": 0,
        },
    )
    assert response.status_code == 302
    with tenant_scope(forbund_a):
        assert Budget.objects.filter(forbund=forbund_a, year=2024).exists()


def test_create_budget_duplicate_year_shows_error_and_keeps_input(client, alice, ostra):
    client.force_login(alice)
    response = client.post(
        "/f/alfa/budget/ny/",
        {
            "year": 2023,
            "input_mode": "total",
            "input_amount": 12345,
            "state_split": "fk_af",
            "kommun_split": "population",
            "eget_kapital_opening": 0,
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Det finns redan en budget" in body
    assert 'value="12345"' in body


def test_cost_create_with_insats_and_amount_shows_swedish_error(client, alice, ostra, forbund_a):
    with tenant_scope(forbund_a):
        insats = Insats.objects.get(forbund=forbund_a, name="Norrköping")
    client.force_login(alice)
    response = client.post(
        "/f/alfa/budget/2023/kostnader/ny/",
        {"name": "Dubbel", "amount": 5, "insats": str(insats.public_id), "parent": ""},
    )
    assert response.status_code == 400
    assert "Lämna beloppet tomt" in response.content.decode()


def test_cost_create_sub_line_post(client, alice, ostra, forbund_a):
    with tenant_scope(forbund_a):
        parent = CostLine.objects.get(forbund=forbund_a, account_code="101")
    client.force_login(alice)
    response = client.post(
        "/f/alfa/budget/2023/kostnader/ny/",
        {"name": "Ny insatsrad", "amount": 10, "parent": str(parent.public_id)},
    )
    assert response.status_code == 302
    with tenant_scope(forbund_a):
        assert CostLine.objects.get(forbund=forbund_a, name="Ny insatsrad").parent_id == parent.pk


def test_long_term_post_saves_override(client, alice, ostra, forbund_a):
    with tenant_scope(forbund_a):
        kansli = CostLine.objects.get(forbund=forbund_a, name="Kansli")
    client.force_login(alice)
    response = client.post(
        "/f/alfa/budget/2023/langtid/2024/",
        {"state_change_percent": "-5", "eget_kapital_use": "0", f"line_{kansli.public_id.hex}": "1000"},
    )
    assert response.status_code == 302
    body = client.get("/f/alfa/budget/2023/").content.decode()
    assert f"1{NB}000{NB}kr" in body


def test_long_term_other_year_is_404(client, alice, ostra):
    client.force_login(alice)
    assert client.get("/f/alfa/budget/2023/langtid/2027/").status_code == 404


def test_cost_move_post_redirects(client, alice, ostra, forbund_a):
    with tenant_scope(forbund_a):
        line = CostLine.objects.get(forbund=forbund_a, name="Revision")
    client.force_login(alice)
    assert (
        client.post(f"/f/alfa/budget/kostnader/{line.public_id}/flytta/", {"riktning": "upp"}).status_code
        == 302
    )


def test_nav_shows_budget_for_reader(client, bob, ostra):
    client.force_login(bob)
    assert 'href="/f/alfa/budget/"' in client.get("/f/alfa/").content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(forbund, budget, n):
    with tenant_scope(forbund):
        parent = services.cost_line_create(forbund=forbund, actor=None, budget=budget, name=f"Grupp {n}")
        for i in range(n):
            services.cost_line_create(
                forbund=forbund, actor=None, budget=budget, parent=parent, name=f"Under {n}-{i}", amount=i
            )
            services.income_line_create(
                forbund=forbund, actor=None, budget=budget, kind="ovrigt", name=f"Int {n}-{i}", amount=i
            )


@pytest.mark.parametrize(
    "url", ["/f/alfa/budget/", "/f/alfa/budget/2023/", "/f/alfa/budget/2023/?visning=tkr"]
)
def test_query_count_flat_at_two_sizes(client, alice, ostra, forbund_a, url):
    client.force_login(alice)
    _grow(forbund_a, ostra, 2)
    with tenant_scope(forbund_a):
        services.budget_create(forbund=forbund_a, actor=None, year=2020)
    small = _queries(client, url)
    _grow(forbund_a, ostra, 12)
    with tenant_scope(forbund_a):
        for year in range(2010, 2020):
            services.budget_create(forbund=forbund_a, actor=None, year=year)
    assert _queries(client, url) == small


def test_edit_pages_are_403_for_plattform(client, petra, ostra, forbund_a):
    client.force_login(petra)
    for url in _edit_urls(forbund_a):
        assert client.get(url).status_code == 403, url


def test_edit_pages_are_403_for_styrelse(client, stina, ostra, forbund_a):
    client.force_login(stina)
    for url in _edit_urls(forbund_a):
        assert client.post(url, {}).status_code == 403, url
