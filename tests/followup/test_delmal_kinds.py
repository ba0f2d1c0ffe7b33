"""Computed delmål kinds from the follow-up, against figures counted by hand.

SamCoach 2026 (Petra's): eleven people A-1..A-11 (kvinnor) start 15 January, are assessed on
15 January and 15 March, and end 31 March; six go to arbete or studier. Four people B-1..B-4
(män) start 1 February and go on. F-1 is a felregistrering and counts nowhere. In 2025 twelve
people P-1..P-12 were active January–February. Nätverket (strukturinriktad) counts 30 attendees
in January. Volumes 2026: SamCoach 30, Nätverket 100. Surveys 2026: SamCoach T1 NNS deltagare
30 of 40 (21 of 30 answers positive), förbund-wide T2 own survey 10 of 20 (7 of 10 positive),
Steget helår NNS personal 9 of 10. Förbund B has rows of its own that must never count.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.followup import delmal_kinds, services
from apps.followup.models import Kon, SurveyKind
from apps.goals import selectors as goal_selectors
from apps.goals.models import IndicatorKind
from apps.insatser import services as insats_services
from apps.insatser.models import InsatsKind, InsatsYear
from tests.goals.factories import DelmalFactory, MalomradeFactory
from tests.insatser.conftest import make_insats

from .conftest import add

A_MOVES = [2, 1, 3, 1, 2, 1, 0, 0, -1, 0, 0]  # six moved at least one step, three at least two
A_ENDS = ["Arbete"] * 4 + ["Studier"] * 2 + ["Avbrott", "Flytt", "Arbetssökande", "Annat", "Avbrott"]


def _volume(forbund, insats, year, volume):
    row = InsatsYear.objects.get(forbund=forbund, insats=insats, year=year)
    insats_services.insats_year_update(forbund=forbund, actor=None, insats_year=row, budgeted_volume=volume)


@pytest.fixture
def figures(forbund_a, forbund_b, setup, in_scope):
    steps = setup["steps"]
    with in_scope(forbund_b):
        noise = make_insats(forbund_b, "Brus", years=[2026])
        for n in range(30):
            row = services.deltagare_create(
                forbund=forbund_b,
                actor=None,
                insats=noise,
                code=f"N-{n}",
                kon=Kon.MAN,
                start_date=datetime.date(2026, 1, 2),
                remittent="sjalv",
            )
        services.survey_save(
            forbund=forbund_b,
            actor=None,
            year=2026,
            period="t1",
            kind=SurveyKind.NNS_DELTAGARE,
            respondent_group="Deltagare",
            asked=500,
            answered=1,
        )
    with in_scope(forbund_a):
        samcoach = setup["samcoach"]
        for n, (move, reason) in enumerate(zip(A_MOVES, A_ENDS, strict=True), 1):
            row = add(
                forbund_a,
                samcoach,
                f"A-{n}",
                start=(2026, 1, 15),
                end=(2026, 3, 31),
                avslut=reason,
                setup=setup,
            )
            services.bedomning_record(
                forbund=forbund_a, actor=None, deltagare=row, date=datetime.date(2026, 1, 15), step=steps[2]
            )
            services.bedomning_record(
                forbund=forbund_a,
                actor=None,
                deltagare=row,
                date=datetime.date(2026, 3, 15),
                step=steps[2 + move],
            )
        for n in range(1, 5):
            add(forbund_a, samcoach, f"B-{n}", kon=Kon.MAN, start=(2026, 2, 1))
        add(
            forbund_a,
            samcoach,
            "F-1",
            start=(2026, 1, 15),
            end=(2026, 1, 20),
            avslut="Felregistrering",
            setup=setup,
        )
        for n in range(1, 13):
            add(
                forbund_a,
                samcoach,
                f"P-{n}",
                start=(2025, 1, 10),
                end=(2025, 2, 28),
                avslut="Flytt",
                setup=setup,
            )
        natverket = make_insats(forbund_a, "Nätverket", years=[2026], kind=InsatsKind.STRUKTUR)
        services.monthly_counts_save(
            forbund=forbund_a,
            actor=None,
            insats=natverket,
            year=2026,
            counts={(1, Kon.KVINNA): {"attendees": 20}, (1, Kon.MAN): {"attendees": 10}},
        )
        _volume(forbund_a, samcoach, 2026, 30)
        _volume(forbund_a, natverket, 2026, 100)
        services.survey_save(
            forbund=forbund_a,
            actor=None,
            insats=samcoach,
            year=2026,
            period="t1",
            kind=SurveyKind.NNS_DELTAGARE,
            respondent_group="Deltagare vid avslut",
            asked=40,
            answered=30,
            questions=[
                (
                    "Fick du stöd?",
                    [
                        ("Instämmer helt", 12, True),
                        ("Instämmer delvis", 9, True),
                        ("Varken eller", 5, False),
                        ("Instämmer inte", 4, False),
                    ],
                )
            ],
        )
        services.survey_save(
            forbund=forbund_a,
            actor=None,
            year=2026,
            period="t2",
            kind=SurveyKind.EGEN,
            name="Egen",
            respondent_group="Alla",
            asked=20,
            answered=10,
            questions=[("Bra?", [("Ja", 7, True), ("Nej", 3, False)])],
        )
        services.survey_save(
            forbund=forbund_a,
            actor=None,
            insats=setup["steget"],
            year=2026,
            period="ar",
            kind=SurveyKind.NNS_PERSONAL,
            respondent_group="Personal",
            asked=10,
            answered=9,
        )
    return {"samcoach": samcoach, "natverket": natverket, "steget": setup["steget"]}


def _delmal(forbund, kind, *, number, insats=None, **fields):
    malomrade = MalomradeFactory(forbund=forbund, year=2026, number=1) if number == 1 else None
    malomrade = malomrade or forbund_malomrade(forbund)
    return DelmalFactory(malomrade=malomrade, number=number, indicator_kind=kind, insats=insats, **fields)


def forbund_malomrade(forbund):
    from apps.goals.models import Malomrade

    return Malomrade.objects.get(forbund=forbund, year=2026, number=1)


def _result(forbund, kind, *, until_month=4, insats=None, **fields):
    row = _delmal(forbund, kind, number=1, insats=insats, **fields)
    return goal_selectors.delmal_results(forbund=forbund, year=2026, delmal=[row], until_month=until_month)[
        row.pk
    ]


MINST = {"target_comparator": "minst", "target_unit": "procent"}


def test_participants_compared_counts_both_years(figures, forbund_a, in_scope):
    with in_scope(forbund_a):
        result = _result(
            forbund_a, IndicatorKind.DELTAGARE_JAMFORT, target_comparator="oka", baseline_year=2025
        )
    assert result.value == 15  # A-1..A-11 and B-1..B-4; F-1 counts nowhere
    assert result.met is True
    assert "fler än samma månader 2025 (12)" in result.explanation


def test_participants_compared_for_one_insats_and_less(figures, forbund_a, in_scope):
    with in_scope(forbund_a):
        result = _result(
            forbund_a,
            IndicatorKind.DELTAGARE_JAMFORT,
            insats=figures["samcoach"],
            target_comparator="minska",
            baseline_year=2025,
        )
    assert (result.value, result.met) == (15, False)
    assert "insatsen SamCoach" in result.explanation


def test_mean_movement_of_assessed_participants(figures, forbund_a, in_scope):
    with in_scope(forbund_a):
        result = _result(
            forbund_a,
            IndicatorKind.STEG_MEDEL,
            target_comparator="minst",
            target_value=Decimal(1),
            target_unit="steg",
        )
    assert result.value == Decimal("0.8")  # 9 steps over 11 people
    assert result.met is False
    assert "11 deltagare" in result.explanation


def test_moved_share_at_least_one_step(figures, forbund_a, in_scope):
    with in_scope(forbund_a):
        result = _result(forbund_a, IndicatorKind.STEG_ANDEL, target_value=Decimal(50), **MINST)
    assert result.value == Decimal("54.5")  # 6 of 11
    assert result.met is True
    assert "6 av 11" in result.explanation and "minst 1 steg" in result.explanation


def test_moved_share_n_from_indicator_hides_a_small_group(figures, forbund_a, in_scope):
    with in_scope(forbund_a):
        result = _result(
            forbund_a,
            IndicatorKind.STEG_ANDEL,
            indicator="Andel som rört sig minst två steg",
            target_value=Decimal(20),
            **MINST,
        )
    # Three people moved two steps: not shown to readers of the goals.
    assert (result.value, result.met) == (None, None)
    assert "minst 2 steg" in result.explanation and "Färre än 5" in result.explanation


def test_at_least_steps_reads_digits_and_words():
    assert delmal_kinds.at_least_steps(SimpleNamespace(indicator="minst 3 steg", text="")) == 3
    assert delmal_kinds.at_least_steps(SimpleNamespace(indicator="", text="minst ett steg närmare")) == 1
    assert delmal_kinds.at_least_steps(SimpleNamespace(indicator="stegförflyttning", text="")) == 1


def test_response_rate_nns_in_t1(figures, forbund_a, in_scope):
    with in_scope(forbund_a):
        result = _result(
            forbund_a, IndicatorKind.SVARSFREKVENS, data_source="enkat_nns", target_value=Decimal(70), **MINST
        )
    assert (result.value, result.met) == (Decimal("75.0"), True)
    assert "30 av 40" in result.explanation


def test_response_rate_every_source_to_august(figures, forbund_a, in_scope):
    with in_scope(forbund_a):
        result = _result(
            forbund_a,
            IndicatorKind.SVARSFREKVENS,
            until_month=8,
            data_source="deltagardata",
            target_value=Decimal(70),
            **MINST,
        )
    assert (result.value, result.met) == (Decimal("66.7"), False)  # 40 of 60


def test_response_rate_nns_year_includes_the_yearly_survey(figures, forbund_a, in_scope):
    with in_scope(forbund_a):
        result = _result(forbund_a, IndicatorKind.SVARSFREKVENS, until_month=12, data_source="enkat_nns")
    assert (result.value, result.met) == (Decimal("78.0"), None)  # 39 of 50, no target


def test_positive_share_over_answers(figures, forbund_a, in_scope):
    with in_scope(forbund_a):
        result = _result(
            forbund_a,
            IndicatorKind.ANDEL_POSITIVA,
            until_month=8,
            data_source="",
            target_value=Decimal(70),
            **MINST,
        )
    assert (result.value, result.met) == (Decimal("70.0"), True)  # (21 + 7) of (30 + 10)


def test_positive_share_without_answers_lacks_data(figures, forbund_a, in_scope):
    with in_scope(forbund_a):
        result = _result(forbund_a, IndicatorKind.ANDEL_POSITIVA, insats=figures["steget"], until_month=12)
    assert (result.value, result.met) == (None, None)
    assert "inga enkätsvar" in result.explanation


def test_volume_share_for_the_forbund(figures, forbund_a, in_scope):
    with in_scope(forbund_a):
        result = _result(forbund_a, IndicatorKind.VOLYM_ANDEL)
    # SamCoach 15 participants + Nätverket 30 attendees of 30 + 100; no number stated: the volume is the target.
    assert (result.value, result.met) == (Decimal("34.6"), False)
    assert "45 deltagare" in result.explanation


def test_volume_share_for_one_insats_against_target(figures, forbund_a, in_scope):
    with in_scope(forbund_a):
        result = _result(
            forbund_a,
            IndicatorKind.VOLYM_ANDEL,
            insats=figures["samcoach"],
            target_value=Decimal(50),
            **MINST,
        )
    assert (result.value, result.met) == (Decimal("50.0"), True)


def test_ended_to_work_or_studies(figures, forbund_a, in_scope):
    with in_scope(forbund_a):
        result = _result(forbund_a, IndicatorKind.AVSLUT_ARBETE_STUDIER, target_value=Decimal(70), **MINST)
    assert (result.value, result.met) == (Decimal("54.5"), False)  # 6 of 11, F-1 not counted
    assert "6 av 11" in result.explanation


def test_ended_to_work_before_anyone_ended(figures, forbund_a, in_scope):
    with in_scope(forbund_a):
        result = _result(forbund_a, IndicatorKind.AVSLUT_ARBETE_STUDIER, until_month=2)
    assert (result.value, result.met) == (None, None)
    assert "Ingen deltagare" in result.explanation


def test_kinds_share_one_reading_per_period(figures, forbund_a, in_scope, monkeypatch):
    calls = []
    for name in ("_read_tables", "_read_steps"):
        real = getattr(delmal_kinds, name)

        def counting(forbund, memo, s, real=real, name=name):
            calls.append((name, s.end))
            return real(forbund, memo, s)

        monkeypatch.setattr(delmal_kinds, name, counting)
    with in_scope(forbund_a):
        kinds = [k for k in delmal_kinds.KINDS if k != IndicatorKind.DELTAGARE_JAMFORT]
        rows = [_delmal(forbund_a, kind, number=n) for n, kind in enumerate(kinds, 1)]
        rows += [
            _delmal(forbund_a, kind, number=n, insats=figures["samcoach"]) for n, kind in enumerate(kinds, 20)
        ]
        goal_selectors.delmal_results(forbund=forbund_a, year=2026, delmal=rows, until_month=4)
    end = datetime.date(2026, 4, 30)
    assert sorted(calls) == [("_read_steps", end), ("_read_tables", end)]


def test_participants_compared_reads_no_steps(figures, forbund_a, in_scope, monkeypatch):
    calls = []
    monkeypatch.setattr(delmal_kinds, "_read_steps", lambda *args: calls.append(args) or {})
    with in_scope(forbund_a):
        result = _result(forbund_a, IndicatorKind.DELTAGARE_JAMFORT, baseline_year=2025)
    assert result.value == 15
    assert calls == []


def _as_statistics_counts(forbund, until, year=2026):
    """The kinds' tables and steps next to the statistics page's, for every insats."""
    from apps.followup import statistics
    from apps.insatser.models import Insats

    ids = list(Insats.objects.filter(forbund=forbund).values_list("pk", flat=True))
    s = delmal_kinds._span(year, until)
    page = statistics.participant_tables(forbund=forbund, insats_ids=ids, s=s)
    memo: dict = {}
    tables = delmal_kinds._tables(forbund, memo, year, until)
    used = ("kon", "avslut", "utfall", "attendees")
    ours = {
        i: {k: tables[i][k] for k in used} | {"steg": delmal_kinds._steps(forbund, memo, year, until, i)}
        for i in ids
    }
    theirs = {i: {k: page[i][k] for k in (*used, "steg")} for i in ids}
    return ours, theirs


@pytest.mark.parametrize("until", [1, 2, 3, 4, 8, 12])
def test_kind_tables_count_as_the_statistics_page(figures, forbund_a, in_scope, until):
    with in_scope(forbund_a):
        ours, theirs = _as_statistics_counts(forbund_a, until)
    assert ours == theirs
    samcoach = figures["samcoach"].pk
    if until >= 3:
        assert sum(ours[samcoach]["steg"].values()) == 11
        assert ours[samcoach]["utfall"] == {"arbete": 4, "studier": 2}


def test_kind_tables_read_retention_snapshots_as_the_statistics_page(figures, forbund_a, in_scope):
    from apps.followup.retention import retention_run

    with in_scope(forbund_a):
        before = _as_statistics_counts(forbund_a, 12, year=2025)[0]
        retention_run(forbund=forbund_a, today=datetime.date(2028, 1, 10))
        ours, theirs = _as_statistics_counts(forbund_a, 12, year=2025)
    assert ours == theirs == before
    assert ours[figures["samcoach"].pk]["kon"][Kon.KVINNA][1] == 12


def _goals_page_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/f/alfa/mal/2026/?period=t1")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_goals_page_shows_computed_values_with_flat_queries(
    figures, forbund_a, setup, alice, client_for, in_scope
):
    client = client_for(alice)
    with in_scope(forbund_a):
        for n, kind in enumerate(delmal_kinds.KINDS, 1):
            _delmal(
                forbund_a,
                kind,
                number=n,
                baseline_year=2025 if kind == IndicatorKind.DELTAGARE_JAMFORT else None,
                target_comparator="oka" if kind == IndicatorKind.DELTAGARE_JAMFORT else "",
            )
    small, body = _goals_page_queries(client)
    assert "15 deltagare i förbundets insatser januari–april 2026" in body
    assert "A-1" not in body  # codes never reach readers
    with in_scope(forbund_a):
        for n, kind in enumerate(delmal_kinds.KINDS, 20):
            _delmal(forbund_a, kind, number=n, insats=figures["samcoach"])
        for n in range(40):
            add(forbund_a, figures["samcoach"], f"X-{n}", kon=Kon.MAN, start=(2026, 3, 1))
    assert _goals_page_queries(client)[0] == small


def _every_kind(forbund, *, first, insats=None, target=Decimal(30)):
    from apps.goals import computed

    kinds = [kind for kind in IndicatorKind.values if computed.get(kind) is not None]
    assert IndicatorKind.KOSTNADER_INOM_BUDGET in kinds and IndicatorKind.STEG_ANDEL in kinds
    for n, kind in enumerate(kinds, first):
        _delmal(forbund, kind, number=n, insats=insats, target_value=target, target_comparator="hogst")
    return len(kinds)


@pytest.mark.parametrize("period", ["hittills", "t1", "helar"])
def test_goals_page_queries_equal_with_one_and_many_of_every_kind(
    figures, forbund_a, setup, alice, client_for, in_scope, django_assert_num_queries, period
):
    """Every registered computed kind once, then many times (other targets, every insats, more
    insatser, participants and assessments): the same number of queries."""
    client = client_for(alice)
    url = f"/f/alfa/mal/2026/?period={period}"
    with in_scope(forbund_a):
        kinds = _every_kind(forbund_a, first=1)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    small = len(ctx.captured_queries)
    with in_scope(forbund_a):
        extra = [make_insats(forbund_a, f"Extra {n}", years=[2026]) for n in range(3)]
        first = kinds + 1
        for insats in [figures["samcoach"], figures["natverket"], *extra]:
            _every_kind(forbund_a, first=first, insats=insats, target=Decimal(first))
            first += kinds
        for n in range(30):
            add(forbund_a, extra[n % 3], f"Y-{n}", kon=Kon.MAN, start=(2026, 1, 5))
            row = add(forbund_a, figures["samcoach"], f"Z-{n}", kon=Kon.MAN, start=(2026, 1, 5))
            for month, step in ((1, 1), (3, 3)):
                services.bedomning_record(
                    forbund=forbund_a,
                    actor=None,
                    deltagare=row,
                    date=datetime.date(2026, month, 10),
                    step=setup["steps"][step],
                )
    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.content.decode().count('<tr id="delmal-') == kinds * 6


def test_plan_goal_section_shows_the_computed_result(figures, forbund_a, in_scope):
    from apps.plans import datasections

    with in_scope(forbund_a):
        _delmal(forbund_a, IndicatorKind.AVSLUT_ARBETE_STUDIER, number=1, target_value=Decimal(70), **MINST)
        data = datasections.get("mal").renderer(forbund_a, 2026)
    result = data["malomraden"][0]["delmal"][0]["result"]
    assert result["met"] is False
    assert "6 av 11 deltagare som avslutades i förbundets insatser" in result["explanation"]
