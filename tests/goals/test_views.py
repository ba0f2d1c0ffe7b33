"""Pages of målområden and delmål: who may read, who may edit, htmx in place, flat queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.goals.models import Delmal, Malomrade
from tests.insatser.conftest import make_insats

from .factories import DelmalFactory, MalomradeFactory

YEAR_URL = "/f/alfa/mal/2023/"

DELMAL_POST = {
    "text": "Minst 70 % svarar på enkäten",
    "indicator": "Svarsfrekvens NNS",
    "target_comparator": "minst",
    "target_value": "70",
    "target_unit": "procent",
    "tidpunkt": "ar",
    "data_source": "enkat_nns",
    "responsible": "Kansliet",
}


def _prefixed(malomrade, data):
    prefix = f"ny-{malomrade.public_id.hex[:8]}"
    return {f"{prefix}-{key}": value for key, value in data.items()}


def test_year_page_insider_sees_goals_and_edit_links(client_for, alice, goals):
    body = client_for(alice).get(YEAR_URL).content.decode()
    assert "Arbete eller studier alfa" in body
    assert "Fler når arbete alfa" in body
    assert "Lägg till delmål i målområde 1" in body
    assert "Ändra delmål 1.1" in body


def test_year_page_fetches_the_add_form_when_opened(client_for, alice, goals, in_scope, forbund_a):
    with in_scope(forbund_a):
        make_insats(forbund_a, "Stegvis framåt")
    malomrade = goals["alfa"]["malomrade"]
    create_url = f"/f/alfa/mal/malomrade/{malomrade.public_id}/nytt-delmal/"
    body = client_for(alice).get(YEAR_URL).content.decode()
    # No form (and no insats choices) per målområde on the page: the details fetches it once
    # opened, and without JavaScript the link opens the form page.
    assert f'hx-get="{create_url}"' in body
    assert 'hx-trigger="toggle once"' in body
    assert f'<a href="{create_url}">Öppna formuläret för nytt delmål i målområde 1</a>' in body
    assert "Stegvis framåt" not in body
    assert 'name="ny-' not in body


def test_add_form_fetched_with_htmx_is_the_form_only(client_for, alice, goals, in_scope, forbund_a):
    with in_scope(forbund_a):
        make_insats(forbund_a, "Stegvis framåt")
    malomrade = goals["alfa"]["malomrade"]
    create_url = f"/f/alfa/mal/malomrade/{malomrade.public_id}/nytt-delmal/"
    response = client_for(alice).get(create_url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<form")
    assert "<html" not in body and "<details" not in body
    assert f'hx-post="{create_url}"' in body
    assert f'hx-target="#delmal-rows-{malomrade.public_id}"' in body
    prefix = f"ny-{malomrade.public_id.hex[:8]}"
    assert f'<label for="id_{prefix}-text">' in body
    assert "Stegvis framåt" in body
    assert "HX-Retarget" not in response


def test_add_form_without_js_is_a_page(client_for, alice, goals):
    malomrade = goals["alfa"]["malomrade"]
    response = client_for(alice).get(f"/f/alfa/mal/malomrade/{malomrade.public_id}/nytt-delmal/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Nytt delmål i målområde 1</h1>" in body


def test_add_form_fetch_by_revisor_forbidden(client_for, bob, goals):
    malomrade = goals["alfa"]["malomrade"]
    url = f"/f/alfa/mal/malomrade/{malomrade.public_id}/nytt-delmal/"
    assert client_for(bob).get(url, headers={"HX-Request": "true"}).status_code == 403


def test_year_page_shows_no_goals_of_other_forbund(client_for, alice, goals):
    body = client_for(alice).get(YEAR_URL).content.decode()
    assert "Fler når arbete beta" not in body


def test_year_page_revisor_reads_without_edit_links(client_for, bob, goals):
    response = client_for(bob).get(YEAR_URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Fler når arbete alfa" in body
    assert "Lägg till" not in body
    assert "Ändra" not in body


def test_year_page_plattform_forbidden(client_for, petra, goals):
    assert client_for(petra).get(YEAR_URL).status_code == 403


def test_year_page_outsider_not_found(client_for, charlie, goals):
    assert client_for(charlie).get(YEAR_URL).status_code == 404


def test_year_page_nav_marks_mal_current(client_for, alice, goals):
    body = client_for(alice).get(YEAR_URL).content.decode()
    assert 'aria-current="page">Mål</a>' in body


def test_goals_index_redirects_to_current_year(client_for, alice):
    response = client_for(alice).get("/f/alfa/mal/")
    assert response["Location"] == f"/f/alfa/mal/{timezone.localdate().year}/"


def test_goals_index_redirects_to_picked_year(client_for, alice):
    response = client_for(alice).get("/f/alfa/mal/?ar=2023")
    assert response["Location"] == YEAR_URL


def test_malomrade_create_by_insider_redirects_to_year(client_for, alice, goals, in_scope, forbund_a):
    response = client_for(alice).post(
        "/f/alfa/mal/2023/nytt-malomrade/", {"number": "2", "title": "Samverkan", "description": ""}
    )
    assert response.status_code == 302
    with in_scope(forbund_a):
        assert Malomrade.objects.get(forbund=forbund_a, number=2).title == "Samverkan"


def test_malomrade_create_duplicate_shows_swedish_error_and_keeps_typed(client_for, alice, goals):
    response = client_for(alice).post(
        "/f/alfa/mal/2023/nytt-malomrade/", {"number": "1", "title": "Min nya rubrik", "description": ""}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Det finns redan ett målområde 1 för 2023" in body
    assert 'value="Min nya rubrik"' in body


def test_malomrade_create_by_revisor_forbidden(client_for, bob, goals, in_scope, forbund_a):
    response = client_for(bob).post("/f/alfa/mal/2023/nytt-malomrade/", {"number": "2", "title": "Nej"})
    assert response.status_code == 403
    with in_scope(forbund_a):
        assert Malomrade.objects.filter(forbund=forbund_a).count() == 1


def test_malomrade_edit_by_insider_saves(client_for, alice, goals, in_scope, forbund_a):
    malomrade = goals["alfa"]["malomrade"]
    url = f"/f/alfa/mal/malomrade/{malomrade.public_id}/andra/"
    response = client_for(alice).post(url, {"number": "1", "title": "Ny rubrik", "description": "Text"})
    assert response.status_code == 302
    with in_scope(forbund_a):
        malomrade.refresh_from_db()
    assert malomrade.title == "Ny rubrik"


def test_malomrade_edit_by_revisor_forbidden(client_for, bob, goals):
    malomrade = goals["alfa"]["malomrade"]
    assert client_for(bob).get(f"/f/alfa/mal/malomrade/{malomrade.public_id}/andra/").status_code == 403


def test_malomrade_edit_of_other_forbund_not_found(client_for, alice, goals):
    foreign = goals["beta"]["malomrade"]
    assert client_for(alice).get(f"/f/alfa/mal/malomrade/{foreign.public_id}/andra/").status_code == 404


def test_malomrade_delete_by_insider_removes_it(client_for, alice, goals, in_scope, forbund_a):
    malomrade = goals["alfa"]["malomrade"]
    url = f"/f/alfa/mal/malomrade/{malomrade.public_id}/ta-bort/"
    client = client_for(alice)
    assert "2 delmål tas också bort" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    with in_scope(forbund_a):
        assert not Malomrade.objects.filter(forbund=forbund_a).exists()


def test_malomrade_move_by_insider_swaps(client_for, alice, goals, in_scope, forbund_a):
    with in_scope(forbund_a):
        second = MalomradeFactory(forbund=forbund_a, year=2023, number=2)
    url = f"/f/alfa/mal/malomrade/{second.public_id}/flytta/"
    assert client_for(alice).post(url, {"riktning": "upp"}).status_code == 302
    with in_scope(forbund_a):
        second.refresh_from_db()
    assert second.number == 1


def test_malomrade_move_by_revisor_forbidden(client_for, bob, goals):
    malomrade = goals["alfa"]["malomrade"]
    url = f"/f/alfa/mal/malomrade/{malomrade.public_id}/flytta/"
    assert client_for(bob).post(url, {"riktning": "ned"}).status_code == 403


def test_delmal_create_htmx_returns_new_row(client_for, alice, goals, in_scope, forbund_a):
    malomrade = goals["alfa"]["malomrade"]
    response = client_for(alice).post(
        f"/f/alfa/mal/malomrade/{malomrade.public_id}/nytt-delmal/",
        _prefixed(malomrade, DELMAL_POST),
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<tr id="delmal-')
    assert "<html" not in body
    assert "minst 70 %" in body
    assert 'hx-swap-oob="true"' in body
    with in_scope(forbund_a):
        assert Delmal.objects.get(forbund=forbund_a, number=3).responsible == "Kansliet"


def test_delmal_create_htmx_error_returns_form_keeping_typed(client_for, alice, goals, in_scope, forbund_a):
    malomrade = goals["alfa"]["malomrade"]
    data = dict(DELMAL_POST, target_comparator="oka", target_value="", responsible="Min ansvarige")
    response = client_for(alice).post(
        f"/f/alfa/mal/malomrade/{malomrade.public_id}/nytt-delmal/",
        _prefixed(malomrade, data),
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#delmal-add-{malomrade.public_id}"
    assert response["HX-Reswap"] == "outerHTML"
    assert "Ange ett basår" in body
    assert 'value="Min ansvarige"' in body
    assert "Minst 70 % svarar på enkäten" in body
    with in_scope(forbund_a):
        assert Delmal.objects.filter(forbund=forbund_a).count() == 2


def test_delmal_create_without_js_redirects_to_year(client_for, alice, goals, in_scope, forbund_a):
    malomrade = goals["alfa"]["malomrade"]
    response = client_for(alice).post(
        f"/f/alfa/mal/malomrade/{malomrade.public_id}/nytt-delmal/", _prefixed(malomrade, DELMAL_POST)
    )
    assert response.status_code == 302
    assert response["Location"].startswith(YEAR_URL + "#delmal-")


def test_delmal_create_without_js_error_renders_page(client_for, alice, goals):
    malomrade = goals["alfa"]["malomrade"]
    data = dict(DELMAL_POST, target_value="170")
    response = client_for(alice).post(
        f"/f/alfa/mal/malomrade/{malomrade.public_id}/nytt-delmal/", _prefixed(malomrade, data)
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "<h1>" in body
    assert "En procentsats ska vara mellan 0 och 100." in body


def test_delmal_create_by_revisor_forbidden(client_for, bob, goals):
    malomrade = goals["alfa"]["malomrade"]
    response = client_for(bob).post(
        f"/f/alfa/mal/malomrade/{malomrade.public_id}/nytt-delmal/",
        _prefixed(malomrade, DELMAL_POST),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403


def test_delmal_create_in_other_forbund_not_found(client_for, alice, goals):
    foreign = goals["beta"]["malomrade"]
    response = client_for(alice).post(
        f"/f/alfa/mal/malomrade/{foreign.public_id}/nytt-delmal/", _prefixed(foreign, DELMAL_POST)
    )
    assert response.status_code == 404


def test_delmal_edit_by_insider_saves(client_for, alice, goals, in_scope, forbund_a):
    delmal = goals["alfa"]["delmal"][0]
    data = dict(DELMAL_POST, number="1", text="Ändrad text")
    response = client_for(alice).post(f"/f/alfa/mal/delmal/{delmal.public_id}/andra/", data)
    assert response.status_code == 302
    with in_scope(forbund_a):
        delmal.refresh_from_db()
    assert delmal.text == "Ändrad text"


def test_delmal_edit_by_revisor_forbidden(client_for, bob, goals):
    delmal = goals["alfa"]["delmal"][0]
    assert client_for(bob).get(f"/f/alfa/mal/delmal/{delmal.public_id}/andra/").status_code == 403


def test_delmal_edit_of_other_forbund_not_found(client_for, alice, goals):
    foreign = goals["beta"]["delmal"][0]
    assert client_for(alice).get(f"/f/alfa/mal/delmal/{foreign.public_id}/andra/").status_code == 404


def test_delmal_delete_by_insider_removes_it(client_for, alice, goals, in_scope, forbund_a):
    delmal = goals["alfa"]["delmal"][0]
    assert client_for(alice).post(f"/f/alfa/mal/delmal/{delmal.public_id}/ta-bort/").status_code == 302
    with in_scope(forbund_a):
        assert not Delmal.objects.filter(pk=delmal.pk).exists()


def test_delmal_delete_by_revisor_forbidden(client_for, bob, goals):
    delmal = goals["alfa"]["delmal"][0]
    assert client_for(bob).post(f"/f/alfa/mal/delmal/{delmal.public_id}/ta-bort/").status_code == 403


def test_delmal_move_by_insider_swaps(client_for, alice, goals, in_scope, forbund_a):
    first, second = goals["alfa"]["delmal"]
    url = f"/f/alfa/mal/delmal/{first.public_id}/flytta/"
    assert client_for(alice).post(url, {"riktning": "ned"}).status_code == 302
    with in_scope(forbund_a):
        first.refresh_from_db()
    assert first.number == 2


def _fill(forbund, count):
    for number in range(1, count + 1):
        malomrade = MalomradeFactory(forbund=forbund, year=2023, number=number)
        for delmal_number in (1, 2, 3):
            DelmalFactory(malomrade=malomrade, number=delmal_number)


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("user_fixture", ["alice", "bob"])
def test_year_page_query_count_flat(user_fixture, request, client_for, forbund_a, forbund_b, in_scope):
    client = client_for(request.getfixturevalue(user_fixture))
    with in_scope(forbund_b):
        _fill(forbund_b, 3)
    with in_scope(forbund_a):
        _fill(forbund_a, 2)
    small = _count_queries(client, YEAR_URL)
    with in_scope(forbund_a):
        Malomrade.objects.filter(forbund=forbund_a).delete()
        _fill(forbund_a, 12)
        for number in range(8):
            make_insats(forbund_a, f"Insats {number}")
    large = _count_queries(client, YEAR_URL)
    body = client.get(YEAR_URL).content.decode()
    assert body.count('<tr id="delmal-') == 36
    assert small == large


def test_year_page_writes_years_without_thousands_separator(client_for, alice, goals):
    body = client_for(alice).get(YEAR_URL).content.decode()
    assert "<h1>Målområden och delmål 2023</h1>" in body
    assert 'value="2023"' in body and "2 023" not in body and "2\u00a0023" not in body


def test_delmal_create_htmx_first_row_removes_empty_row(client_for, alice, forbund_a, in_scope):
    with in_scope(forbund_a):
        malomrade = MalomradeFactory(forbund=forbund_a, year=2023, number=1)
    response = client_for(alice).post(
        f"/f/alfa/mal/malomrade/{malomrade.public_id}/nytt-delmal/",
        _prefixed(malomrade, DELMAL_POST),
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert f'<tr id="delmal-empty-{malomrade.public_id}" hx-swap-oob="delete">' in body
    assert "Delmål 1.1 har lagts till." in body


def test_goals_index_goes_to_latest_year_with_goals(client, alice, forbund_a):
    from apps.tenancy.scope import tenant_scope
    from tests.goals.factories import MalomradeFactory

    with tenant_scope(forbund_a):
        MalomradeFactory(forbund=forbund_a, year=2003, number=1)
    client.force_login(alice)
    assert client.get("/f/alfa/mal/")["Location"] == "/f/alfa/mal/2003/"
    assert client.get("/f/alfa/mal/?ar=2004")["Location"] == "/f/alfa/mal/2004/"
