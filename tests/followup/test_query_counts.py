"""Every follow-up page reads a fixed number of queries, whatever the number of rows behind it.

Each test renders the page, grows the data (participants with assessments, categories, counts,
surveys with questions, insatser), and renders it again: the two counts must be equal.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.followup import services
from apps.followup.models import CategoryList, Kon, Survey, SurveyKind
from tests.insatser.conftest import make_insats

from .conftest import add


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow(forbund, setup, in_scope, n, offset):
    """n participants of SamCoach with two assessments, an ended one, counts, a survey, a category."""
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
        add(forbund, setup["samcoach"], f"E-{offset}", start=(2026, 1, 5), end=(2026, 2, 5), setup=setup)
        services.monthly_counts_save(
            forbund=forbund,
            actor=None,
            insats=setup["steget"],
            year=2026,
            counts={
                (m, k): {"new": 1, "active": 3, "attendees": 4} for m in range(1, 13) for k in Kon.values
            },
        )
        for i in range(n // 5 + 1):
            services.survey_save(
                forbund=forbund,
                actor=None,
                insats=setup["samcoach"] if i % 2 else None,
                year=2026,
                period="ar",
                kind=SurveyKind.EGEN,
                name=f"Enkät {offset + i}",
                respondent_group=f"Grupp {offset + i}",
                asked=20,
                answered=10,
                questions=[(f"Fråga {q}", [("Ja", 6, True), ("Nej", 4, False)]) for q in range(3)],
            )
        services.category_create(
            forbund=forbund, actor=None, kind=CategoryList.FORSORJNING, label=f"Kat {offset}"
        )
        make_insats(forbund, f"Extra {offset}", years=[2026])


def _flat(client, url, forbund, setup, in_scope):
    _grow(forbund, setup, in_scope, 3, 0)
    small = _queries(client, url)
    _grow(forbund, setup, in_scope, 30, 100)
    assert _queries(client, url) == small


@pytest.mark.parametrize(
    "url",
    [
        "/f/alfa/uppfoljning/installningar/",
        "/f/alfa/uppfoljning/insatser/?ar=2026",
        "/f/alfa/uppfoljning/enkater/?ar=2026",
        "/f/alfa/uppfoljning/enkater/ny/?ar=2026",
        "/f/alfa/uppfoljning/?ar=2026&period=t1",
    ],
)
def test_editor_page_query_count_flat(client_for, alice, setup, forbund_a, in_scope, url):
    _flat(client_for(alice), url, forbund_a, setup, in_scope)


def test_survey_edit_query_count_flat(client_for, alice, setup, forbund_a, in_scope):
    with in_scope(forbund_a):
        survey = services.survey_save(
            forbund=forbund_a,
            actor=None,
            year=2026,
            kind=SurveyKind.NNS_DELTAGARE,
            respondent_group="Deltagare",
            asked=40,
            answered=30,
            questions=[(f"Fråga {q}", [("Ja", 6, True), ("Nej", 4, False)]) for q in range(2)],
        )
    client = client_for(alice)
    url = f"/f/alfa/uppfoljning/enkater/{survey.public_id}/"
    small = _queries(client, url)
    with in_scope(forbund_a):
        services.survey_save(
            forbund=forbund_a,
            actor=None,
            survey=Survey.objects.get(pk=survey.pk),
            questions=[
                (f"Fråga {q}", [("Ja", 6, True), ("Nej", 4, False), ("Vet ej", 0, False)]) for q in range(9)
            ],
        )
        _grow(forbund_a, setup, in_scope, 10, 0)
    assert _queries(client, url) == small


@pytest.mark.parametrize("view", ["personer", "tillfallen"])
def test_counts_page_query_count_flat(client_for, alice, setup, forbund_a, in_scope, view):
    url = f"/f/alfa/uppfoljning/antal/{setup['steget'].public_id}/2026/?visa={view}"
    _flat(client_for(alice), url, forbund_a, setup, in_scope)


def test_insats_year_edit_query_count_flat(client_for, alice, setup, forbund_a, in_scope):
    url = f"/f/alfa/uppfoljning/insatser/{setup['samcoach'].public_id}/2026/"
    _flat(client_for(alice), url, forbund_a, setup, in_scope)


@pytest.mark.parametrize("page", ["ny/", "utdrag/?kod=Q-1", "{row}/", "{row}/avsluta/", ""])
def test_staff_page_query_count_flat(client_for, petra, setup, forbund_a, in_scope, page):
    client = client_for(petra)
    _grow(forbund_a, setup, in_scope, 3, 0)
    with in_scope(forbund_a):
        row = add(forbund_a, setup["samcoach"], "R-1")
    url = f"/f/alfa/uppfoljning/deltagare/{setup['samcoach'].public_id}/" + page.format(row=row.public_id)
    small = _queries(client, url)
    _grow(forbund_a, setup, in_scope, 30, 100)
    assert _queries(client, url) == small


def test_staff_home_query_count_flat(client_for, petra, setup, forbund_a, in_scope):
    _flat(client_for(petra), "/f/alfa/uppfoljning/deltagare/", forbund_a, setup, in_scope)
