"""Pages for how insatser are followed up, monthly counts and surveys."""

from __future__ import annotations

import datetime

import pytest

from apps.followup import services
from apps.followup.models import (
    InsatsFollowup,
    InsatsYearMode,
    Kon,
    MonthlyCount,
    StepScale,
    Survey,
    SurveyKind,
)

from .conftest import add

COUNTS = "/f/alfa/uppfoljning/antal/{}/2026/"


def _counts_post(data_by_month: dict[int, tuple[int, int, int]]):
    data = {}
    for month, (new, active, ended) in data_by_month.items():
        data.update({f"m{month}-new": new, f"m{month}-active": active, f"m{month}-ended": ended})
    return data


# --- Overview and mode -------------------------------------------------------------------------


def test_insatser_page_lists_year_rows_with_mode(client_for, alice, setup):
    body = client_for(alice).get("/f/alfa/uppfoljning/insatser/?ar=2026").content.decode()
    assert "SamCoach" in body and "Steget" in body
    assert "Deltagare (pseudonyma register)" in body
    assert "Brus i Beta" not in body


@pytest.mark.parametrize("who", ["stina", "petra", "bob"])
def test_insatser_page_refused_for_readers_and_staff(request, client_for, setup, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get("/f/alfa/uppfoljning/insatser/?ar=2026").status_code == 403


def test_insats_year_edit_saves_mode_and_scale(client_for, alice, setup, forbund_a, in_scope):
    url = f"/f/alfa/uppfoljning/insatser/{setup['steget'].public_id}/2026/"
    response = client_for(alice).post(url, {"mode": "antal", "step_scale": ""})
    assert response.status_code == 302
    with in_scope(forbund_a):
        assert (
            InsatsYearMode.objects.get(forbund=forbund_a, insats_year__insats=setup["steget"]).mode == "antal"
        )
        assert InsatsFollowup.objects.get(forbund=forbund_a, insats=setup["steget"]).step_scale is None


def test_insats_year_edit_refuses_scale_change_after_assessments(
    client_for, alice, setup, forbund_a, in_scope
):
    with in_scope(forbund_a):
        row = add(forbund_a, setup["samcoach"], "SC-1")
        services.bedomning_record(
            forbund=forbund_a,
            actor=None,
            deltagare=row,
            date=datetime.date(2026, 2, 1),
            step=setup["steps"][2],
        )
        other = services.scale_create(forbund=forbund_a, actor=None, name="Annan skala", steps=[("Ett", "")])
    url = f"/f/alfa/uppfoljning/insatser/{setup['samcoach'].public_id}/2026/"
    response = client_for(alice).post(url, {"mode": "antal", "step_scale": other.pk})
    assert response.status_code == 400
    assert "den kan inte bytas" in response.content.decode()
    with in_scope(forbund_a):
        # All or nothing: the mode was not changed either.
        assert not InsatsYearMode.objects.filter(forbund=forbund_a).exists()


def test_insats_year_edit_404_for_a_year_without_row(client_for, alice, setup):
    url = f"/f/alfa/uppfoljning/insatser/{setup['steget'].public_id}/2025/"
    assert client_for(alice).get(url).status_code == 404


def test_insats_year_edit_404_for_another_forbunds_scale(client_for, alice, setup, forbund_b, in_scope):
    with in_scope(forbund_b):
        foreign = StepScale.objects.get(forbund=forbund_b)
    url = f"/f/alfa/uppfoljning/insatser/{setup['steget'].public_id}/2026/"
    response = client_for(alice).post(url, {"mode": "deltagare", "step_scale": foreign.pk})
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in response.content.decode()


# --- Counts ----------------------------------------------------------------------------------


def test_counts_page_saves_a_gender_grid(client_for, alice, setup, forbund_a, in_scope):
    url = COUNTS.format(setup["steget"].public_id) + "?visa=personer&kon=man"
    response = client_for(alice).post(url, _counts_post({1: (3, 10, 1), 2: (2, 11, 0)}))
    assert response.status_code == 302
    with in_scope(forbund_a):
        rows = list(
            MonthlyCount.objects.filter(forbund=forbund_a, insats=setup["steget"]).values_list(
                "month", "kon", "new", "active", "ended"
            )
        )
    assert rows == [(1, "man", 3, 10, 1), (2, "man", 2, 11, 0)]


def test_counts_page_more_new_than_active_ties_error_to_cell(client_for, alice, setup, forbund_a, in_scope):
    url = COUNTS.format(setup["steget"].public_id) + "?visa=personer&kon=kvinna"
    response = client_for(alice).post(url, _counts_post({1: (3, 10, 1), 3: (6, 4, 0)}))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Aktiva i mars ska vara minst lika många som nya (6)." in body
    assert 'aria-describedby="id_m3-active_error"' in body
    assert 'value="6"' in body  # what was typed is kept
    with in_scope(forbund_a):
        assert not MonthlyCount.objects.filter(forbund=forbund_a).exists()


def test_counts_page_refuses_text(client_for, alice, setup):
    url = COUNTS.format(setup["steget"].public_id) + "?visa=tillfallen"
    response = client_for(alice).post(url, {"m1-kvinna": "många"})
    assert response.status_code == 400
    assert "Skriv ett heltal." in response.content.decode()


def test_counts_page_attendees_keep_people_counts(client_for, alice, setup, forbund_a, in_scope):
    with in_scope(forbund_a):
        services.monthly_counts_save(
            forbund=forbund_a,
            actor=None,
            insats=setup["steget"],
            year=2026,
            counts={(1, Kon.KVINNA): {"new": 2, "active": 5}},
        )
    url = COUNTS.format(setup["steget"].public_id) + "?visa=tillfallen"
    assert client_for(alice).post(url, {"m1-kvinna": 40, "m1-man": 12}).status_code == 302
    with in_scope(forbund_a):
        rows = {
            row.kon: (row.new, row.active, row.attendees)
            for row in MonthlyCount.objects.filter(forbund=forbund_a, month=1)
        }
    assert rows == {"kvinna": (2, 5, 40), "man": (0, 0, 12)}


def test_counts_page_open_to_the_insats_staff(client_for, olle, setup, forbund_a, in_scope):
    url = COUNTS.format(setup["steget"].public_id) + "?visa=personer&kon=kvinna"
    assert client_for(olle).post(url, _counts_post({4: (1, 1, 0)})).status_code == 302
    with in_scope(forbund_a):
        assert MonthlyCount.objects.filter(forbund=forbund_a, insats=setup["steget"], month=4).exists()


def test_counts_page_404_for_staff_of_another_insats(client_for, petra, setup):
    assert client_for(petra).get(COUNTS.format(setup["steget"].public_id)).status_code == 404


@pytest.mark.parametrize("who", ["stina", "bob"])
def test_counts_page_refused_for_readers(request, client_for, setup, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get(COUNTS.format(setup["steget"].public_id)).status_code == 403


def test_counts_page_404_for_another_forbunds_insats(client_for, charlie, setup):
    url = COUNTS.format(setup["steget"].public_id).replace("/alfa/", "/beta/")
    assert client_for(charlie).get(url).status_code == 404


# --- Surveys ---------------------------------------------------------------------------------

QUESTIONS = "Fråga: Fick du stöd?\nInstämmer helt; 12; positiv\nInstämmer delvis; 9; positiv\nNej; 5\n"


def _survey_data(**extra):
    return {
        "insats": "",
        "year": 2026,
        "period": "ar",
        "kind": SurveyKind.NNS_DELTAGARE,
        "name": "",
        "respondent_group": "Deltagare vid avslut",
        "asked": 40,
        "answered": 30,
        "questions": QUESTIONS,
        **extra,
    }


def test_survey_create_with_questions(client_for, alice, setup, forbund_a, in_scope):
    response = client_for(alice).post("/f/alfa/uppfoljning/enkater/ny/", _survey_data())
    assert response.status_code == 302
    body = client_for(alice).get("/f/alfa/uppfoljning/enkater/?ar=2026").content.decode()
    assert "75\u00a0% (30 av 40)" in body  # response rate
    assert "81\u00a0% (21 av 26)" in body  # share positive


def test_survey_create_bad_line_names_it(client_for, alice, setup, forbund_a, in_scope):
    response = client_for(alice).post(
        "/f/alfa/uppfoljning/enkater/ny/", _survey_data(questions="Fråga: Stöd?\nJa; tolv; positiv")
    )
    assert response.status_code == 400
    assert "Rad 2: skriv antalet svar som ett heltal" in response.content.decode()
    with in_scope(forbund_a):
        assert not Survey.objects.filter(forbund=forbund_a).exists()


def test_survey_create_more_answered_than_asked(client_for, alice, setup):
    response = client_for(alice).post("/f/alfa/uppfoljning/enkater/ny/", _survey_data(answered=50))
    assert response.status_code == 400
    assert "Fler kan inte ha svarat än som tillfrågades." in response.content.decode()


def test_survey_edit_shows_questions_back(client_for, alice, setup, forbund_a, in_scope):
    client = client_for(alice)
    client.post("/f/alfa/uppfoljning/enkater/ny/", _survey_data(insats=str(setup["samcoach"].public_id)))
    with in_scope(forbund_a):
        survey = Survey.objects.get(forbund=forbund_a)
    body = client.get(f"/f/alfa/uppfoljning/enkater/{survey.public_id}/").content.decode()
    assert "Instämmer helt; 12; positiv" in body
    assert f'value="{setup["samcoach"].public_id}" selected' in body


def test_survey_delete(client_for, alice, setup, forbund_a, in_scope):
    client = client_for(alice)
    client.post("/f/alfa/uppfoljning/enkater/ny/", _survey_data())
    with in_scope(forbund_a):
        survey = Survey.objects.get(forbund=forbund_a)
    assert client.post(f"/f/alfa/uppfoljning/enkater/{survey.public_id}/ta-bort/").status_code == 302
    with in_scope(forbund_a):
        assert not Survey.objects.filter(forbund=forbund_a).exists()


def test_survey_of_another_forbund_is_404(client_for, charlie, alice, setup, forbund_a, in_scope):
    client_for(alice).post("/f/alfa/uppfoljning/enkater/ny/", _survey_data())
    with in_scope(forbund_a):
        survey = Survey.objects.get(forbund=forbund_a)
    assert client_for(charlie).get(f"/f/beta/uppfoljning/enkater/{survey.public_id}/").status_code == 404


@pytest.mark.parametrize("who", ["stina", "petra"])
def test_surveys_refused_for_readers_and_staff(request, client_for, setup, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get("/f/alfa/uppfoljning/enkater/?ar=2026").status_code == 403


def test_statistics_year_picker_and_links_carry_plain_years(client_for, alice, setup):
    body = client_for(alice).get("/f/alfa/uppfoljning/?ar=2026&period=ar").content.decode()
    assert '<option value="2026" selected>2026</option>' in body
    assert "?ar=2026&amp;format=csv" in body
    assert "/uppfoljning/insatser/?ar=2026" in body


def test_print_record_shows_birth_year_without_a_separator(client_for, petra, setup, forbund_a, in_scope):
    with in_scope(forbund_a):
        add(forbund_a, setup["samcoach"], "SC-9", birth_year=1990)
    url = f"/f/alfa/uppfoljning/deltagare/{setup['samcoach'].public_id}/utdrag/?kod=SC-9"
    assert "<dd>1990</dd>" in client_for(petra).get(url).content.decode()
