"""The "start next year" page: preview for readers, copy for editors, 403/404 for the rest."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.goals import services as goals_services
from apps.goals.models import Malomrade
from apps.members import services as members_services
from apps.members.models import SeatKind, Styrelsemote
from apps.tenancy.scope import tenant_scope

from .conftest import YEAR, make_plan

URL = "/f/alfa/plan/nytt-ar/"
NEXT = YEAR + 1


def test_year_start_page_shows_counts_to_forbundschef(client, alice, plans):
    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Det här kopieras från {YEAR} till {NEXT}" in page
    assert "Utgående alfa" in page
    assert "Utgående beta" not in page
    assert f"Starta {NEXT} från {YEAR}" in page


def test_year_start_page_preview_counts(client, alice, plans):
    client.force_login(alice)
    preview = client.get(URL).context["preview"]
    assert (preview.source.malomraden, preview.source.delmal, preview.source.insats_years) == (1, 2, 7)
    assert (preview.running_insats_years, preview.source.meetings, preview.continuing_seats) == (3, 2, 1)


def test_year_start_page_offers_years_with_data(client, alice, plans, forbund_a, in_scope):
    with in_scope(forbund_a):
        members_services.styrelsemote_create(forbund=forbund_a, actor=alice, year=2024, month=4)
    client.force_login(alice)
    response = client.get(URL)
    assert response.context["years"] == [YEAR, 2024]


def test_year_start_page_previews_chosen_year(client, alice, plans, forbund_a, in_scope):
    with in_scope(forbund_a):
        members_services.styrelsemote_create(forbund=forbund_a, actor=alice, year=2024, month=4)
    client.force_login(alice)
    response = client.get(URL, {"fran": "2024"})
    assert response.context["preview"].to_year == 2025
    assert "Starta 2025 från 2024" in response.content.decode()


def test_year_start_page_without_data_says_so(client, alice, forbund_b):
    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 200
    assert (
        "Det finns inga målområden, insatsår eller styrelsemöten att kopiera ännu."
        in response.content.decode()
    )


@pytest.mark.parametrize("reader", ["bob", "stina"])
def test_year_start_page_readonly_sees_preview_without_button(client, plans, reader, request):
    client.force_login(request.getfixturevalue(reader))
    response = client.get(URL)
    assert response.status_code == 200
    assert f"Det här kopieras från {YEAR}" in response.content.decode()
    assert f"Starta {NEXT} från {YEAR}" not in response.content.decode()


@pytest.mark.parametrize("reader", ["bob", "stina"])
def test_year_start_post_by_readonly_is_forbidden(client, plans, forbund_a, in_scope, reader, request):
    client.force_login(request.getfixturevalue(reader))
    assert client.post(URL, {"fran": YEAR}).status_code == 403
    with in_scope(forbund_a):
        assert not Malomrade.objects.filter(forbund=forbund_a, year=NEXT).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_year_start_page_plattform_is_forbidden(client, petra, plans, method):
    client.force_login(petra)
    assert getattr(client, method)(URL, {"fran": YEAR}).status_code == 403


@pytest.mark.parametrize("method", ["get", "post"])
def test_year_start_page_outsider_gets_404(client, charlie, plans, method):
    client.force_login(charlie)
    assert getattr(client, method)(URL, {"fran": YEAR}).status_code == 404


def test_year_start_page_logged_out_redirects_to_login(client, plans):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"] or "konto" in response["Location"]


def test_year_start_post_copies_and_redirects_to_goals(client, alice, plans, forbund_a, in_scope):
    client.force_login(alice)
    response = client.post(URL, {"fran": YEAR})
    assert response.status_code == 302
    assert response["Location"] == f"/f/alfa/mal/{NEXT}/"
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert message.startswith(f"År {NEXT} är startat från {YEAR}: 1 målområden, 2 delmål, 3 insatsår")
    with in_scope(forbund_a):
        assert Malomrade.objects.filter(forbund=forbund_a, year=NEXT).count() == 1


def test_year_start_post_refusal_shows_error_and_writes_nothing(client, alice, plans, forbund_a, in_scope):
    with in_scope(forbund_a):
        members_services.styrelsemote_create(forbund=forbund_a, actor=alice, year=NEXT, month=5)
    client.force_login(alice)
    response = client.post(URL, {"fran": YEAR})
    assert response.status_code == 400
    assert f"År {NEXT} har redan 1 styrelsemöten" in response.content.decode()
    with in_scope(forbund_a):
        assert not Malomrade.objects.filter(forbund=forbund_a, year=NEXT).exists()
        assert Styrelsemote.objects.filter(forbund=forbund_a, year=NEXT).count() == 1


def test_year_start_post_unknown_year_is_refused(client, alice, plans):
    client.force_login(alice)
    response = client.post(URL, {"fran": "1999"})
    assert response.status_code == 400
    assert "Välj ett år som har innehåll att kopiera." in response.content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(forbund, n):
    """Add ``n`` målområden, meetings and expiring board seats to the previewed year."""
    with tenant_scope(forbund):
        medlem = members_services.medlem_create(
            forbund=forbund, actor=None, name="Kommun Extra", kind="kommun"
        )
        for number in range(10, 10 + n):
            goals_services.malomrade_create(
                forbund=forbund, actor=None, year=YEAR, number=number, title="Fler"
            )
            members_services.styrelsemote_create(
                forbund=forbund, actor=None, year=YEAR, month=number % 12 + 1
            )
            members_services.styrelseledamot_create(
                forbund=forbund,
                actor=None,
                person_name=f"Ersättare {number}",
                medlem=medlem,
                seat=SeatKind.ERSATTARE,
                mandate_start=datetime.date(YEAR - 3, 1, 1),
                mandate_end=datetime.date(YEAR, 12, 31),
            )


def test_year_start_page_query_count_is_flat(client, alice, forbund_a, forbund_b):
    make_plan(forbund_b, size=3)
    make_plan(forbund_a, size=2)
    client.force_login(alice)
    small = _queries(client, URL)
    make_plan(forbund_a, year=YEAR - 1, size=3)
    _grow(forbund_a, 10)
    large = _queries(client, URL)
    assert len(client.get(URL).context["preview"].expiring_seats) == 11
    assert small == large
