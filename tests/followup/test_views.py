"""Follow-up pages: staff see only their insatser's participants; nobody else sees a code."""

from __future__ import annotations

import datetime

import pytest

from apps.followup import services
from apps.followup.models import Bedomning, Kon

from .conftest import add


@pytest.fixture
def people(forbund_a, setup, in_scope):
    with in_scope(forbund_a):
        rows = [
            add(forbund_a, setup["samcoach"], f"SC-{n:03d}", kon=Kon.KVINNA if n % 3 else Kon.MAN)
            for n in range(12)
        ]
        other = add(forbund_a, setup["steget"], "ST-001")
    return {"rows": rows, "other": other}


def test_participants_page_lists_staffs_own(client_for, petra, setup, people):
    body = (
        client_for(petra)
        .get(f"/f/alfa/uppfoljning/deltagare/{setup['samcoach'].public_id}/")
        .content.decode()
    )
    assert "SC-000" in body
    assert "ST-001" not in body


def test_participants_page_404_for_staff_of_other_insats(client_for, olle, setup, people):
    response = client_for(olle).get(f"/f/alfa/uppfoljning/deltagare/{setup['samcoach'].public_id}/")
    assert response.status_code == 404


def test_participant_edit_404_through_another_insats(client_for, petra, setup, people):
    other = people["other"]
    url = f"/f/alfa/uppfoljning/deltagare/{setup['samcoach'].public_id}/{other.public_id}/"
    assert client_for(petra).get(url).status_code == 404


@pytest.mark.parametrize("who", ["alice", "kim", "stina", "bob"])
def test_participants_page_refused_for_other_roles(request, client_for, setup, people, who):
    user = request.getfixturevalue(who)
    response = client_for(user).get(f"/f/alfa/uppfoljning/deltagare/{setup['samcoach'].public_id}/")
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("who", ["alice", "kim", "stina", "bob"])
def test_statistics_never_shows_a_code(request, client_for, setup, people, who):
    user = request.getfixturevalue(who)
    body = client_for(user).get("/f/alfa/uppfoljning/?ar=2026&period=ar").content.decode()
    assert "Aktiva deltagare" in body
    assert "SC-0" not in body
    assert "ST-001" not in body


def test_statistics_suppresses_small_counts_for_readers(client_for, alice, setup, people):
    body = client_for(alice).get("/f/alfa/uppfoljning/?ar=2026&period=ar").content.decode()
    # Steget has one participant: shown as <5, never as 1.
    assert '<td class="num">&lt;5</td>' in body


def test_statistics_reveals_real_numbers_to_own_staff(client_for, olle, setup, people):
    body = client_for(olle).get("/f/alfa/uppfoljning/?ar=2026&period=ar").content.decode()
    assert "Steget" in body
    assert "SamCoach" not in body
    assert '<td class="num">&lt;5</td>' not in body
    assert '<td class="num">1</td>' in body


def test_record_steps_grid_saves_many(client_for, petra, setup, people, forbund_a, in_scope):
    rows = people["rows"][:3]
    data = {"steg-date": "2026-03-02", "steg-rater": "personal"}
    data.update({f"steg-{r.public_id}": "3" for r in rows})
    response = client_for(petra).post(f"/f/alfa/uppfoljning/deltagare/{setup['samcoach'].public_id}/", data)
    assert response.status_code == 302
    with in_scope(forbund_a):
        assert Bedomning.objects.filter(forbund=forbund_a, step__number=3).count() == 3


def test_record_steps_grid_bad_step_saves_nothing(client_for, petra, setup, people, forbund_a, in_scope):
    rows = people["rows"][:2]
    data = {"steg-date": "2026-03-02", "steg-rater": "personal", f"steg-{rows[0].public_id}": "3"}
    data[f"steg-{rows[1].public_id}"] = "99"
    response = client_for(petra).post(f"/f/alfa/uppfoljning/deltagare/{setup['samcoach'].public_id}/", data)
    assert response.status_code == 400
    assert "välj ett steg" in response.content.decode()
    with in_scope(forbund_a):
        assert not Bedomning.objects.filter(forbund=forbund_a).exists()


def test_add_participant_refuses_personnummer_with_reason(client_for, petra, setup):
    url = f"/f/alfa/uppfoljning/deltagare/{setup['samcoach'].public_id}/ny/"
    response = client_for(petra).post(
        url, {"code": "811228-9874", "kon": "man", "start_date": "2026-02-01", "remittent": "sjalv"}
    )
    assert response.status_code == 400
    assert "personnummer" in response.content.decode()


def test_print_record_by_code(client_for, petra, setup, people):
    url = f"/f/alfa/uppfoljning/deltagare/{setup['samcoach'].public_id}/utdrag/?kod=SC-001"
    body = client_for(petra).get(url).content.decode()
    assert "Allt som finns registrerat om SC-001" in body


def test_export_refused_for_styrelse(client_for, stina, setup):
    assert client_for(stina).get("/f/alfa/uppfoljning/export/?ar=2026").status_code == 403


def _grow(forbund, setup, in_scope, n, offset):
    with in_scope(forbund):
        for i in range(n):
            row = add(forbund, setup["samcoach"], f"Q-{offset + i}", kon=Kon.MAN if i % 2 else Kon.KVINNA)
            for month, number in ((2, 2), (5, 3)):
                services.bedomning_record(
                    forbund=forbund,
                    actor=None,
                    deltagare=row,
                    date=datetime.date(2026, month, 1),
                    step=setup["steps"][number],
                )


def _queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_statistics_query_count_flat(
    client_for, alice, setup, forbund_a, in_scope, django_assert_max_num_queries
):
    client = client_for(alice)
    url = "/f/alfa/uppfoljning/?ar=2026&period=ar"
    _grow(forbund_a, setup, in_scope, 20, 0)
    small = _queries(client, url, django_assert_max_num_queries)
    _grow(forbund_a, setup, in_scope, 180, 100)
    assert _queries(client, url, django_assert_max_num_queries) == small


def test_participants_page_query_count_flat(
    client_for, petra, setup, forbund_a, in_scope, django_assert_max_num_queries
):
    client = client_for(petra)
    url = f"/f/alfa/uppfoljning/deltagare/{setup['samcoach'].public_id}/"
    _grow(forbund_a, setup, in_scope, 5, 0)
    small = _queries(client, url, django_assert_max_num_queries)
    _grow(forbund_a, setup, in_scope, 50, 100)
    assert _queries(client, url, django_assert_max_num_queries) == small
