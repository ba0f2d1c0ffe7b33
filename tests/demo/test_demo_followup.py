"""Demo follow-up: participants over samo's four plattformar and Sollefteå's SamCoach, counts for
the strukturinriktade insatser, surveys, the staff grants; codes only; a second load writes nothing.

The demo is loaded once for the module (tests/demo/conftest.py, inside a transaction rolled back
at the end): loading it takes seconds, and these tests only read it.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from apps.demo.loader import load_demo
from apps.followup import codes, selectors
from apps.followup import statistics as st
from apps.followup.models import (
    Bedomning,
    Deltagare,
    FollowupSettings,
    InsatsFollowup,
    MonthlyCount,
    Survey,
    SurveyOption,
    SurveyQuestion,
)
from apps.insatser.models import Insats
from apps.insatser.selectors import insats_list_for_staff
from apps.tenancy.scope import tenant_scope

FOLLOWUP_MODELS = [
    FollowupSettings,
    InsatsFollowup,
    Deltagare,
    Bedomning,
    MonthlyCount,
    Survey,
    SurveyQuestion,
    SurveyOption,
]


@pytest.fixture
def loaded(demo_loaded, db):
    """The demo, loaded once for the module (tests/demo/conftest.py)."""
    return demo_loaded


def _snapshot(forbund):
    with tenant_scope(forbund):
        return [list(m.objects.order_by("pk").values_list("pk", "updated_at")) for m in FOLLOWUP_MODELS]


def test_demo_followup_second_load_writes_nothing(loaded):
    before = {slug: _snapshot(forbund) for slug, forbund in loaded.items()}
    assert load_demo().changed == 0
    assert {slug: _snapshot(forbund) for slug, forbund in loaded.items()} == before


def test_demo_samo_has_a_few_hundred_participants_over_four_plattformar(loaded):
    with tenant_scope(loaded["samo"]):
        per_insats = dict(
            Deltagare.objects.values("insats__name").annotate(n=Count("pk")).values_list("insats__name", "n")
        )
        assessed = Bedomning.objects.values("deltagare").distinct().count()
    assert set(per_insats) == {
        "Plattform Finspång",
        "Plattform Norrköping",
        "Plattform Söderköping",
        "Plattform Valdemarsvik",
    }
    assert 250 <= sum(per_insats.values()) <= 400
    assert assessed == sum(per_insats.values())


def test_demo_participants_have_monthly_assessments(loaded):
    with tenant_scope(loaded["samo"]):
        row = Deltagare.objects.filter(code="NKP23-010").get()
        dates = list(Bedomning.objects.filter(deltagare=row).order_by("date").values_list("date", flat=True))
    assert dates[0] == row.start_date
    gaps = [(b - a).days for a, b in zip(dates, dates[1:-1], strict=False)]
    assert gaps and all(28 <= gap <= 31 for gap in gaps)


def test_demo_codes_are_codes_only(loaded):
    for forbund in loaded.values():
        with tenant_scope(forbund):
            for code in Deltagare.objects.values_list("code", flat=True):
                codes.validate_code(code)
                assert code.split("-")[0].isalnum() and code.split("-")[1].isdigit()


def test_demo_plattform_samo_is_granted_norrkoping(loaded):
    user = get_user_model().objects.get(username="plattform@samo")
    with tenant_scope(loaded["samo"]):
        granted = list(
            insats_list_for_staff(forbund=loaded["samo"], user=user).values_list("name", flat=True)
        )
    assert granted == ["Plattform Norrköping"]


def test_demo_solleftea_samcoach_has_participants_and_staff(loaded):
    user = get_user_model().objects.get(username="plattform@solleftea")
    with tenant_scope(loaded["solleftea"]):
        granted = list(
            insats_list_for_staff(forbund=loaded["solleftea"], user=user).values_list("name", flat=True)
        )
        names = set(Deltagare.objects.values_list("insats__name", flat=True))
        active = Deltagare.objects.filter(end_date__isnull=True).count()
    assert granted == ["SamCoach"] and names == {"SamCoach"}
    assert active > 0  # the staff page has people to record steps for


def test_demo_statistics_hide_a_gender_group_under_five(loaded):
    forbund = loaded["samo"]
    with tenant_scope(forbund):
        insatser = list(Insats.objects.filter(plattform__isnull=False).order_by("name"))
        page = selectors.statistics_page(
            forbund=forbund, year=2023, period="ar", insatser=insatser, reveal=False
        )
    active = page["kon_tables"][1]
    texts = {insats.name: [cell.text for cell in cells] for insats, cells, _total in active.rows}
    assert "<5" in texts["Plattform Valdemarsvik"]
    assert active.suppressed


def test_demo_counts_for_strukturinriktade_insatser(loaded):
    with tenant_scope(loaded["samo"]):
        counted = set(MonthlyCount.objects.values_list("insats__name", "insats__kind").distinct())
    assert counted == {
        ("AF-koordinator", "struktur"),
        ("Insatskatalogen", "struktur"),
        ("Metodutveckling", "struktur"),
    }
    with tenant_scope(loaded["solleftea"]):
        psykiatri = Insats.objects.get(name="Psykiatriveckan")
        tables = st.participant_tables(
            forbund=loaded["solleftea"], insats_ids=[psykiatri.pk], s=st.span(2024, "ar")
        )
    assert tables[psykiatri.pk]["attendees"] == 212


def test_demo_surveys_have_response_rates_and_positive_options(loaded):
    with tenant_scope(loaded["samo"]):
        surveys = selectors.survey_summaries(selectors.survey_list(forbund=loaded["samo"], year=2023))
    by_kind = {summary.survey.kind: summary for summary in surveys}
    assert by_kind["nns_deltagare"].response == "71\u00a0% (117 av 164)"
    assert by_kind["egen"].survey.name == "Självvärdering Plattform Norrköping"
    assert by_kind["nns_deltagare"].questions[0][1] == "85\u00a0% (99 av 117)"
